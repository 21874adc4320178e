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

// The largest document parse() reads, in bytes of its text, and the deepest nesting of arrays
// and objects. A connection's data or credentials, a transfer's params, strategy,
// transformations or resources take a few kB in SyncMaster; 1 MiB leaves room for large
// additional parameters. A larger or deeper document is refused with Error 22023 before it is
// read ("<what>: a JSON document must be at most 1048576 bytes, got N" / "<what>: JSON nested
// deeper than 32 levels"), so that no request makes a trigger spend seconds or recurse without
// bound.
inline constexpr std::size_t kMaxDocumentBytes = 1024 * 1024;
inline constexpr std::size_t kMaxDepth = 32;

// Parses `text`. A number that neither a 64-bit integer nor a double holds exactly (the value
// written back would differ) is refused with Error 22023
// "<what>: field "<path>" must be a number that a 64-bit integer or a double holds exactly";
// text that is not JSON with Error 22023 "<what>: invalid JSON". `path` is dotted, with [i] for
// array elements: "additional_params.sizes[2]".
Json parse(std::string_view text, const std::string &what);

// Whether the decimal number `literal` (JSON number syntax) has the same value as `value`.
bool same_number(std::string_view literal, double value);

// How text() orders an object's keys.
enum class KeyOrder {
    kBytewise,  // Python's json.dumps(sort_keys=True)
    kJsonb,     // as jsonb keeps them: shorter first, then bytewise
};

// `value` as text with ", " and ": " between items, non-ASCII as is, keys in `order`.
//
// With KeyOrder::kJsonb it is what jsonb's output prints. When it equals the text PostgreSQL gave
// for a stored jsonb, the value is that jsonb, so the adapter need not write it back. (A float may
// print otherwise than the numeric it came from, "1.50" against 1.5: the texts then differ and the
// value is written, which is only slower.)
std::string text(const Json &value, KeyOrder order);

// text(value, KeyOrder::kJsonb).
std::string jsonb_text(const Json &value);

}  // namespace syncmaster::core::json
