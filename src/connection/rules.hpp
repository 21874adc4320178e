// The rules of connection rows: Developers and above create and change them,
// Maintainers delete them; names are unique per group; data is validated and normalized for the
// type; a connection a transfer uses keeps its type and stays; credentials kept across a type
// change must fit the new type.
#pragma once

#include "core/pure.hpp"

#include "core/columns.hpp"
#include "core/error.hpp"
#include "core/in_use.hpp"
#include "connection/types.hpp"
#include "core/identity.hpp"
#include "core/lookup.hpp"
#include "core/search.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace syncmaster::core::connection {

// Who writes each column (core/columns.hpp). A connection moves to another group only by a copy
// with remove_source (a new row), which keeps every rule of a copy; the system may move one that no
// transfer uses.
inline constexpr columns::Column kColumns[] = {
    columns::kId,
    {"group_id", columns::OnInsert::kUser, columns::OnUpdate::kMoved, columns::Stamp::kComputed,
     "A connection cannot move to another group",
     "Copy it with syncmaster.copy_connection(..., remove_source => true)."},
    columns::user_column("type"),
    columns::user_column("name"),
    columns::user_column("description"),
    columns::user_column("data"),
    columns::kCreatedAt,
    columns::kUpdatedAt,
    columns::kSearchVector,
};

// auth_data: no role but the extension's owner holds a privilege on it; the credentials move
// through the API.
inline constexpr columns::Column kAuthDataColumns[] = {
    // Both NOT NULL: a NULL is 22023 naming the column, not the table's 23502.
    {"connection_id", columns::OnInsert::kUser, columns::OnUpdate::kImmutable,
     columns::Stamp::kComputed, "The connection of credentials cannot change", nullptr, true},
    columns::flag_column("value", columns::OnUpdate::kUser),
    columns::kCreatedAt,
    columns::kUpdatedAt,
};

// credential_access: the audit of secret reads, written by connection_credentials() alone.
inline constexpr columns::Column kCredentialAccessColumns[] = {
    columns::kId,
    {"connection_id", columns::OnInsert::kStamped, columns::OnUpdate::kImmutable},
    {"session_role", columns::OnInsert::kStamped, columns::OnUpdate::kImmutable},
    {"current_role_name", columns::OnInsert::kStamped, columns::OnUpdate::kImmutable},
    {"accessed_at", columns::OnInsert::kStamped, columns::OnUpdate::kImmutable},
};

inline constexpr fields::Text kName = fields::name("connection name");
inline constexpr Constraint kUniqueName{"connection", "uq__connection__name_group_id"};
inline constexpr fields::Text kDescription =
    fields::at_most("connection description", fields::kDescriptionMax);
inline constexpr fields::Text kType =
    fields::one_of("connection type", connection_types::require_known_type);

// Searched by name and host.
inline constexpr search::Searchable kSearchable{{{{{"data", "host"}}, 1}}, 1};

struct Row {
    std::int64_t id = 0;
    std::int64_t group_id = 0;
    std::optional<std::string> name;
    std::optional<std::string> type;
    std::optional<std::string> data;  // jsonb as text
    // UPDATE only: the adapter saw the stored type and data bytes unchanged and so read neither
    // row's data (a 100 kB value is then neither fetched from TOAST nor turned into text).
    bool data_unchanged = false;
};

// What the adapter writes back.
struct Outcome {
    std::optional<std::string> data;  // the normalized data to store; nullopt: keep the row's
    bool refit_credentials = false;   // the type changed: the stored credentials must fit it
    // The system's change of type may leave credentials that do not fit for the rest of its
    // transaction: SyncMaster's server updates the connection, then writes credentials for its new
    // type. They must fit by commit (the deferred credentials_fit trigger); a person's change is
    // refused at once.
    bool fit_may_wait = false;
};

Outcome on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup);
Outcome on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
                  Lookup &lookup);
// Refuses a user's delete of a connection transfers use (55000 with the count); the system's takes
// them along (in_use::Dependents).
in_use::Dependents on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup);

// Reading a connection's secrets is the system's alone (42501), and so is writing auth_data
// directly (SyncMaster's server does, with tokens it sealed with the same key); the API functions
// write it as the tables' owner, having decided already. `act` says what was tried
// ("reads credentials").
void authorize_credentials(const identity::Actor &actor, const char *act);

// 22023 "auth_data value is not a token of the configured key": a token written to auth_data that
// does not open (`why`: the Fernet refusal).
[[noreturn]] void token_of_another_key(const std::string &why);
// The credentials of a token written to auth_data directly, its plaintext, must fit the
// connection's type and data as the API would store them: 22023 naming the field otherwise.
void check_token_credentials(const std::string &type, const connection_types::Json &data,
                             const std::string &plaintext);
// 55000 "Credentials not set for connection N": a copied connection has none until it is given
// some; nothing reads or runs with them before.
[[noreturn]] void credentials_not_set(std::int64_t connection_id);

// The connection's current credentials checked for its new type and normalized `data`, secrets
// kept. When they do not fit: 55000 "The credentials of the connection do not fit its new type",
// the detail saying why.
connection_types::Json refit_credentials(const std::string &type,
                                         const connection_types::Json &data,
                                         const connection_types::Json &credentials);
// At commit, after the system changed a connection's type (Outcome::fit_may_wait): the stored
// credentials (their plaintext) must fit the connection as it now is, or 55000 as
// refit_credentials says it.
void check_credentials_fit(const std::string &type, const connection_types::Json &data,
                           const std::string &plaintext);

}  // namespace syncmaster::core::connection
