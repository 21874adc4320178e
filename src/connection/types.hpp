// Connection types: the 14 types, the shape of each type's `data`
// and of each auth type's credentials, as SyncMaster 0.3 validates them. Validation normalizes:
// defaults are filled in, and anything unknown or of the wrong JSON type is refused with a
// message naming the field (Error 22023).
#pragma once

#include "core/pure.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace syncmaster::core::connection_types {

using Json = nlohmann::json;

// The types in SyncMaster's order (GET /v1/connections/known_types).
const std::vector<std::string> &all_types();
bool is_known_type(std::string_view type);
// Throws Error 22023 "unknown connection type "<type>"" naming the known ones, unless it is one.
void require_known_type(std::string_view type);

// `data` for a connection of `type`, validated, with every default filled in (an s3 port from its
// protocol: 443 for https, 80 for http). Throws Error 22023 naming the field.
Json normalize_data(std::string_view type, const Json &data);

// Credentials for a connection of `type` with normalized `data`, validated, defaults filled in.
// `previous` (or null) is the connection's current credentials: a secret left out or null keeps
// its previous value when the auth type is the same, else Error 55000. Throws Error 22023 for a
// shape that does not fit, naming the field.
Json normalize_auth(std::string_view type, const Json &data, const Json &auth,
                    const Json &previous);

// The credentials without their secret fields: what may be shown.
Json public_auth(const Json &auth);

// JSON text as Python's json.dumps(value, ensure_ascii=False, sort_keys=True) writes it: the
// plaintext SyncMaster encrypts.
std::string python_dumps(const Json &value);

}  // namespace syncmaster::core::connection_types
