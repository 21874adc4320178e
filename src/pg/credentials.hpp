// Credentials in auth_data: Fernet tokens of the sorted-key JSON, with the server's key
// (syncmaster.encryption_key or syncmaster.encryption_key_file).
#pragma once

#include "core/connection_types.hpp"

#include <string>

namespace syncmaster::pg {

// The plaintext JSON of a token; 55000 naming the setting when the key is missing, wrong or not
// the one the token was sealed with.
std::string open_credentials(const std::string &token);

// The token of credentials, as SyncMaster seals them.
std::string seal_credentials(const core::connection_types::Json &credentials);

}  // namespace syncmaster::pg
