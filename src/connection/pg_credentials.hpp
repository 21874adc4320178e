// Credentials in auth_data: Fernet tokens of the sorted-key JSON, with the server's key
// (syncmaster.encryption_key or syncmaster.encryption_key_file).
#pragma once

#include "connection/types.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include "pg/pg.hpp"

namespace syncmaster::pg {

// The plaintext JSON of a token; 55000 naming the setting when the key is missing, wrong or not
// the one the token was sealed with.
std::string open_credentials(const std::string &token);

// The token of credentials, as SyncMaster seals them.
std::string seal_credentials(const core::connection_types::Json &credentials);

// The token of credentials `auth` validated for a connection of this type and data; secrets left
// out are taken from the previous token's when the auth type stays. 22023 "auth_data is required"
// for none.
std::string seal_for_connection(const std::string &type, const core::connection_types::Json &data,
                                const core::connection_types::Json &auth,
                                const std::optional<std::string> &previous_token);

// The credentials of a token without their secrets, as JSON text.
std::string public_credentials(const std::string &token);

// The credentials of a token with their secrets, as JSON text; the read is written to the server
// log first (a record no rollback removes, as pgaudit's).
std::string full_credentials(std::int64_t connection_id, const std::string &token);

// Argument i (jsonb) as JSON, its numbers exact (`what` names it in errors); null for SQL NULL.
core::connection_types::Json json_param(FunctionCallInfo fcinfo, int i, const std::string &what);

}  // namespace syncmaster::pg
