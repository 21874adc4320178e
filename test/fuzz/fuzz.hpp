// What every fuzz target shares: the input as text, and the one kind of refusal a parser may
// answer bad input with. A core::Error is the domain's refusal (the SQL API turns it into its
// SQLSTATE); any other exception would reach PostgreSQL as an internal error (XX000), so it is a
// finding: the target lets it escape and libFuzzer reports it, as it reports a crash, a leak,
// undefined behaviour or a hang.
#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace syncmaster::fuzz {

inline std::string_view text(const std::uint8_t *data, std::size_t size) {
    return {reinterpret_cast<const char *>(data), size};
}

// Runs fn; a core::Error is an accepted answer.
template <typename Fn>
void refusals_allowed(Fn &&fn) {
    try {
        fn();
    } catch (const core::Error &) {
    }
}

// The input cut in two at its first NUL byte (the second part empty without one).
inline std::pair<std::string_view, std::string_view> halves(std::string_view input) {
    std::size_t nul = input.find('\0');
    if (nul == std::string_view::npos) {
        return {input, {}};
    }
    return {input.substr(0, nul), input.substr(nul + 1)};
}

}  // namespace syncmaster::fuzz
