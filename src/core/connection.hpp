// The rules of connection rows (DESIGN §7.1, §7.2): Developers and above create and change them,
// Maintainers delete them; names are unique per group; data is validated and normalized for the
// type; a connection a transfer uses keeps its type and stays; credentials kept across a type
// change must fit the new type.
#pragma once

#include "core/pure.hpp"

#include "core/connection_types.hpp"
#include "core/identity.hpp"
#include "core/lookup.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace syncmaster::core::connection {

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
};

Outcome on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup);
Outcome on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
                  Lookup &lookup);
// Refuses the delete of a connection transfers use (55000 with the count).
void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup);

// The connection's current credentials checked for its new type and normalized `data`, secrets
// kept. When they do not fit: 55000 "The credentials of the connection do not fit its new type",
// the detail saying why.
connection_types::Json refit_credentials(const std::string &type,
                                         const connection_types::Json &data,
                                         const connection_types::Json &credentials);

}  // namespace syncmaster::core::connection
