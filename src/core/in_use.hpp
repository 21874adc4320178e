// What cannot change while transfers use it, and taken names, with SyncMaster's
// messages.
#pragma once

#include "core/pure.hpp"

#include "core/error.hpp"

#include <cstdint>
#include <string_view>

namespace syncmaster::core::in_use {

// A connection used by `transfers` transfers cannot be deleted (nor moved by a copy that removes
// its source). Throws Error 55000 with the count.
void check_connection_deletable(std::int64_t transfers);

// What a delete does with the rows that need the row it deletes (the transfers of a connection or
// a queue, the groups a user owns). A user's delete is refused while there are any (55000): what
// runs on them is not lost by accident. The system's direct DELETE takes them along, as the
// foreign keys of SyncMaster's own schema (all ON DELETE CASCADE) do for its server, its
// fixtures and any ORM session; the API functions refuse for everyone.
enum class Dependents {
    kNone,    // nothing needs the row, or the delete is refused
    kRemove,  // the system's delete: remove what needs the row first
};

// A connection used by a transfer keeps its type. Throws Error 55000.
void check_connection_type_change(std::int64_t transfers);

// A queue used by `transfers` transfers cannot be deleted. Throws Error 55000 with the count.
void check_queue_deletable(std::int64_t transfers);

// Another connection, queue or transfer of the group has this name. Throws Error 23505:
// "The <entity> name already exists in the target group, please specify a new one", naming the
// constraint it stands for, with `detail` when there is more to say.
[[noreturn]] void name_taken(std::string_view entity, const Constraint &constraint,
                             std::string detail = {});

}  // namespace syncmaster::core::in_use
