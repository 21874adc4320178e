#include "core/permissions.hpp"

#include "core/error.hpp"

#include <utility>

namespace syncmaster::core::permissions {

namespace {

// The detail of a refusal: who could have done it.
std::string needed_detail(Entity entity, Action action, Level needed) {
    if (entity == Entity::kGroup && action == Action::kDelete) {
        return "Requires a superuser.";
    }
    if ((entity == Entity::kGroup || entity == Entity::kMembership) && needed == Level::kDelete) {
        return "Requires the group owner or a superuser.";
    }
    switch (needed) {
        case Level::kRead:
            return "Requires the role Guest or above in the group.";
        case Level::kWrite:
            return "Requires the role Developer or above in the group.";
        default:
            return "Requires the role Maintainer or above in the group.";
    }
}

}  // namespace

namespace {

// The member roles, lowest first: their names are written here only.
constexpr std::pair<Role, const char *> kRoles[] = {
    {Role::kGuest, "Guest"}, {Role::kDeveloper, "Developer"}, {Role::kMaintainer, "Maintainer"}};
}  // namespace

std::optional<Role> parse_role(std::string_view text) {
    for (const auto &[role, name] : kRoles) {
        if (text == name) {
            return role;
        }
    }
    return std::nullopt;
}

Role require_role(std::string_view text) {
    if (auto role = parse_role(text)) {
        return *role;
    }
    throw Error(sqlstate::kInvalidInput,
                std::string("Input should be one of: ") + role_name(Role::kMaintainer) + ", " +
                    role_name(Role::kDeveloper) + ", " + role_name(Role::kGuest),
                "Got \"" + std::string(text) + "\".");
}

const char *role_name(Role role) {
    for (const auto &[r, name] : kRoles) {
        if (r == role) {
            return name;
        }
    }
    return "";
}

int group_role_rank(std::string_view role) {
    int rank = 0;
    for (const auto &[r, name] : kRoles) {
        ++rank;
        if (role == name) {
            return rank;
        }
    }
    for (const char *above : {kOwnerRank, kSuperuserRank}) {
        ++rank;
        if (role == above) {
            return rank;
        }
    }
    throw Error(sqlstate::kInvalidInput,
                std::string("Input should be one of: ") + role_name(Role::kGuest) + ", " +
                    role_name(Role::kDeveloper) + ", " + role_name(Role::kMaintainer) + ", " +
                    kOwnerRank + ", " + kSuperuserRank,
                "Got \"" + std::string(role) + "\".");
}

std::optional<Entity> parse_entity(std::string_view text) {
    if (text == "group") {
        return Entity::kGroup;
    }
    if (text == "membership") {
        return Entity::kMembership;
    }
    if (text == "connection") {
        return Entity::kConnection;
    }
    if (text == "queue") {
        return Entity::kQueue;
    }
    if (text == "transfer") {
        return Entity::kTransfer;
    }
    if (text == "run") {
        return Entity::kRun;
    }
    return std::nullopt;
}

std::optional<Action> parse_action(std::string_view text) {
    if (text == "read") {
        return Action::kRead;
    }
    if (text == "create") {
        return Action::kCreate;
    }
    if (text == "update") {
        return Action::kUpdate;
    }
    if (text == "delete") {
        return Action::kDelete;
    }
    return std::nullopt;
}

Level level(const identity::Actor &actor, Entity entity, const Standing &standing) {
    if (!standing.group_exists) {
        return Level::kNone;
    }
    if (actor.is_superuser || standing.is_owner) {
        return Level::kDelete;
    }
    if (!standing.member_role) {
        return Level::kNone;
    }
    if (entity == Entity::kGroup || entity == Entity::kMembership) {
        return Level::kRead;
    }
    switch (*standing.member_role) {
        case Role::kGuest:
            return Level::kRead;
        case Role::kDeveloper:
            return entity == Entity::kQueue ? Level::kRead : Level::kWrite;
        case Role::kMaintainer:
            return Level::kDelete;
    }
    return Level::kNone;
}

Level required_level(Entity entity, Action action) {
    if (action == Action::kRead) {
        return Level::kRead;
    }
    switch (entity) {
        case Entity::kGroup:
        case Entity::kMembership:
        case Entity::kQueue:
            return Level::kDelete;
        case Entity::kConnection:
        case Entity::kTransfer:
        case Entity::kRun:
            return action == Action::kDelete ? Level::kDelete : Level::kWrite;
    }
    return Level::kDelete;
}

const char *not_found_message(Entity entity) {
    switch (entity) {
        case Entity::kGroup:
        case Entity::kMembership:
            return "Group not found";
        case Entity::kConnection:
            return "Connection not found";
        case Entity::kQueue:
            return "Queue not found";
        case Entity::kTransfer:
            return "Transfer not found";
        case Entity::kRun:
            return "Run not found";
    }
    return "Group not found";
}

void authorize(const identity::Actor &actor, Entity entity, Action action, const Standing &standing,
               bool self_target) {
    // Deleting a group is for superusers, refused to anyone else before the existence check.
    if (entity == Entity::kGroup && action == Action::kDelete && !actor.is_superuser) {
        forbidden(needed_detail(entity, action, Level::kDelete));
    }
    Level have = level(actor, entity, standing);
    if (have == Level::kNone) {
        // Creating something in a group the actor cannot see: the group does not exist for it.
        // A run is started for a transfer: SyncMaster answers "Transfer not found".
        const char *message = not_found_message(entity);
        if (action == Action::kCreate && entity != Entity::kMembership) {
            message = entity == Entity::kRun ? "Transfer not found" : "Group not found";
        }
        throw Error(sqlstate::kNotFound, message);
    }
    Level needed = required_level(entity, action);
    // Any member may leave: removing one's own membership needs READ only.
    if (entity == Entity::kMembership && action == Action::kDelete && self_target) {
        needed = Level::kRead;
    }
    if (have < needed) {
        forbidden(needed_detail(entity, action, needed));
    }
}

}  // namespace syncmaster::core::permissions
