// What cannot change while transfers use it, and taken names, with SyncMaster's
// messages.
#pragma once

#include "core/pure.hpp"

#include <cstdint>
#include <string_view>

namespace syncmaster::core::in_use {

// A connection used by `transfers` transfers cannot be deleted (nor moved by a copy that removes
// its source). Throws Error 55000 with the count.
void check_connection_deletable(std::int64_t transfers);

// A connection used by a transfer keeps its type. Throws Error 55000.
void check_connection_type_change(std::int64_t transfers);

// A queue used by `transfers` transfers cannot be deleted. Throws Error 55000 with the count.
void check_queue_deletable(std::int64_t transfers);

// Another connection, queue or transfer of the group has this name. Throws Error 23505:
// "The <entity> name already exists in the target group, please specify a new one".
[[noreturn]] void name_taken(std::string_view entity);

}  // namespace syncmaster::core::in_use
