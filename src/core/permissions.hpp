// Permissions: who may do what in a group.
//
// The adapter reports the actor (core::identity) and its standing in a group (does the group
// exist, does the actor own it, which member role does it hold). This module turns that into a
// permission level and decides each action, throwing the exact error SyncMaster gives. Nothing here
// reads a table.
#pragma once

#include "core/pure.hpp"

#include "core/identity.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syncmaster::core::permissions {

// NONE < READ < WRITE < DELETE, as SyncMaster's Permission enum.
enum class Level { kNone = 0, kRead = 1, kWrite = 2, kDelete = 3 };

// The roles a member row may hold; the owner is never a member row.
enum class Role { kGuest, kDeveloper, kMaintainer };

// "Guest", "Developer", "Maintainer" → Role; nullopt for anything else (case-sensitive).
std::optional<Role> parse_role(std::string_view text);
// parse_role, or Error 22023 "Input should be one of: Maintainer, Developer, Guest".
Role require_role(std::string_view text);
const char *role_name(Role role);
// The rank of a caller's role in a group, as list_groups filters by it: Guest 1, Developer 2,
// Maintainer 3, Owner 4, Superuser 5; Error 22023 "Input should be one of: ..." for anything else.
int group_role_rank(std::string_view role);
// What list_groups calls the owner's and a superuser's standing, above the member roles.
inline constexpr const char *kOwnerRank = "Owner";
inline constexpr const char *kSuperuserRank = "Superuser";

// What is being acted on. kGroup covers the group row itself; kMembership its user_group rows.
enum class Entity { kGroup, kMembership, kConnection, kQueue, kTransfer, kRun };

// "group", "membership", "connection", "queue", "transfer", "run" → Entity.
std::optional<Entity> parse_entity(std::string_view text);

enum class Action { kRead, kCreate, kUpdate, kDelete };
std::optional<Action> parse_action(std::string_view text);

// The actor's standing in one group.
struct Standing {
    bool group_exists = false;
    bool is_owner = false;
    std::optional<Role> member_role;
};

// The actor's level in a group for an entity kind. System and superusers: DELETE everywhere
// (a superuser who is also a member keeps full power). Owner: DELETE. Members: Guest READ,
// Developer WRITE (READ on queues), Maintainer DELETE; on the group and its membership any member
// has READ only. Non-members, and groups that do not exist: NONE.
Level level(const identity::Actor &actor, Entity entity, const Standing &standing);

// The level an action on an entity needs.
Level required_level(Entity entity, Action action);

// Decides an action on an entity of a group, throwing the error SyncMaster gives:
//  * NONE → P0002 "<Entity> not found" ("Group not found" when creating in the group, or for the
//    group and membership): non-members learn nothing;
//  * below the needed level → 42501 "You have no power here", the detail naming the role needed;
//  * deleting a group → 42501 for anyone but the system and superusers, before anything else.
// self_target is true when a membership action concerns the actor's own row (leaving a group
// needs READ only).
void authorize(const identity::Actor &actor, Entity entity, Action action, const Standing &standing,
               bool self_target = false);

// The message of P0002 for an entity that is invisible or missing.
const char *not_found_message(Entity entity);

}  // namespace syncmaster::core::permissions
