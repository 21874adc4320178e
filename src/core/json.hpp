// JSON documents as users send them: parsed strictly, numbers kept exactly or refused.
//
// jsonb stores numbers as arbitrary-precision numerics and prints them in full (1e400 arrives as a
// 401-digit integer). A plain nlohmann::json parse turns a number beyond double range into an
// exception that is no domain error, and rounds a 23-digit integer to a double, so the document
// written back differs from what the user wrote. parse() refuses both with 22023, naming the field.
#pragma once

#include "core/pure.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace syncmaster::core::json {

using Json = nlohmann::json;

// Parses `text`. A number that neither a 64-bit integer nor a double holds exactly (the value
// written back would differ) is refused with Error 22023
// "<what>: field "<path>" must be a number that a 64-bit integer or a double holds exactly";
// text that is not JSON with Error 22023 "<what>: invalid JSON". `path` is dotted, with [i] for
// array elements: "additional_params.sizes[2]".
Json parse(std::string_view text, const std::string &what);

// Whether the decimal number `literal` (JSON number syntax) has the same value as `value`.
bool same_number(std::string_view literal, double value);

}  // namespace syncmaster::core::json
