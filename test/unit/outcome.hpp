// Test helper: what a call to the core answered.
#pragma once

#include "core/error.hpp"

#include <string>

namespace syncmaster::testing {

// "ok", or "<SQLSTATE> <message>" of the core::Error that f threw.
template <typename F>
std::string outcome(F f) {
    try {
        f();
        return "ok";
    } catch (const core::Error &e) {
        return e.sqlstate() + " " + e.message();
    }
}

}  // namespace syncmaster::testing
