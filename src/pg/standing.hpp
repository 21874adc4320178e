// The actor's standing in a group, read from "group" and user_group (through their indexes).
#pragma once

#include "core/identity.hpp"
#include "core/permissions.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace syncmaster::pg {

// Whether group `group_id` exists, whether the actor owns it, and its member role there.
core::permissions::Standing standing_in_group(const core::identity::Actor &actor,
                                              std::int64_t group_id);

// A row deleted while its group (or a run's transfer) is already gone: the foreign key cascading a
// delete the guard has already allowed. The foreign keys guarantee no such orphan otherwise, so
// the row's own delete checks (permission, in use) do not apply.
inline bool cascaded(const core::permissions::Standing &standing) {
    return !standing.group_exists;
}

// The group of a transfer, nullopt when there is no such transfer.
std::optional<std::int64_t> group_of_transfer(std::int64_t transfer_id);

// The owner of a group, nullopt when there is no such group.
std::optional<std::int64_t> group_owner(std::int64_t group_id);

// The ids of the groups the actor reads, ascending: every group for the system and superusers,
// else those it owns or is a member of. Cached like the standings.
std::vector<std::int64_t> readable_group_ids(const core::identity::Actor &actor);

// The names of the groups a user owns, by name.
std::vector<std::string> groups_owned_by(std::int64_t user_id);

// Whether a user with this id exists.
bool user_exists(std::int64_t user_id);

// The id of the group named `name`, nullopt when there is none.
std::optional<std::int64_t> group_named(const std::string &name);

// The member role of a user in a group, nullopt when it is not a member.
std::optional<std::string> member_role(std::int64_t user_id, std::int64_t group_id);

}  // namespace syncmaster::pg
