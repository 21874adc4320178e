// Test helper: what a call to the core answered.
#pragma once

#include "core/error.hpp"

#include <string>

namespace syncmaster::testing {

// "ok" when f threw nothing, else what `part` says of the core::Error it threw.
template <typename F, typename Part>
std::string caught(F f, Part part) {
    try {
        f();
        return "ok";
    } catch (const core::Error &e) {
        return part(e);
    }
}

// "ok", or "<SQLSTATE> <message>" of the core::Error that f threw.
template <typename F>
std::string outcome(F f) {
    return caught(f, [](const core::Error &e) { return e.sqlstate() + " " + e.message(); });
}

// The detail of the core::Error that f threw ("ok" when f threw nothing).
template <typename F>
std::string detail_of(F f) {
    return caught(f, [](const core::Error &e) { return e.detail(); });
}

// The hint of the core::Error that f threw ("ok" when f threw nothing).
template <typename F>
std::string hint_of(F f) {
    return caught(f, [](const core::Error &e) { return e.hint(); });
}

// "<table>.<constraint>" the core::Error that f threw stands for ("." for none; "ok" when f
// threw nothing).
template <typename F>
std::string constraint_of(F f) {
    return caught(f, [](const core::Error &e) {
        return std::string(e.constraint().table) + "." + e.constraint().name;
    });
}

}  // namespace syncmaster::testing
