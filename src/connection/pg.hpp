// What other entities' adapters use of the connection's: a copy made as the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pg/pg.hpp"

namespace syncmaster::pg {

// A copy of a connection in another group, named `name` (its own when none), without credentials;
// the rules trigger judges it. Returns the new id.
std::int64_t copy_connection(std::int64_t connection_id, std::int64_t group_id,
                             const std::optional<std::string> &name);

// Refuses an unknown type in argument i (varchar[], NULL for no filter) of a list function.
void check_connection_types(FunctionCallInfo fcinfo, int i);

}  // namespace syncmaster::pg
