// The actor's standing in a group, read from "group" and user_group (through their indexes).
#pragma once

#include "core/identity.hpp"
#include "core/permissions.hpp"

#include "pg/pg.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace syncmaster::pg {

// Whether group `group_id` exists, whether the actor owns it, and its member role there.
core::permissions::Standing standing_in_group(const core::identity::Actor &actor,
                                              std::int64_t group_id);

// Makes every backend forget its cached identities and standings (relations.hpp) at this
// transaction's commit, and this one at its next command: the rules triggers call it for every
// write to "user", "group" and user_group, and for a transfer that changes group or goes.
// Invalidations are transactional: a refused or rolled-back write sends none.
void forget_lookups(const TriggerData *trigger);

// The group of a transfer, nullopt when there is no such transfer.
std::optional<std::int64_t> group_of_transfer(std::int64_t transfer_id);

// The owner of a group, nullopt when there is no such group.
std::optional<std::int64_t> group_owner(std::int64_t group_id);

// The ids of the groups the actor reads, ascending: every group for the system and superusers,
// else those it owns or is a member of. Cached like the standings.
std::vector<std::int64_t> visible_group_ids(const core::identity::Actor &actor);

// The names of the groups a user owns, by name.
std::vector<std::string> groups_owned_by(std::int64_t user_id);

// Whether a user with this id exists.
bool user_exists(std::int64_t user_id);

// The id of the group named `name`, nullopt when there is none.
std::optional<std::int64_t> group_named(const std::string &name);

// The member role of a user in a group, nullopt when it is not a member.
std::optional<std::string> member_role(std::int64_t user_id, std::int64_t group_id);

}  // namespace syncmaster::pg
