#include "membership/rules.hpp"

#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/permissions.hpp"

namespace syncmaster::core::membership {

namespace {

using permissions::Action;
using permissions::Entity;

// A membership row is about to exist for (user_id, group_id). A user that does not exist is the
// foreign key's 23503 (fk__user_group__user_id__user, which SyncMaster's server maps to "User not
// found"); the API functions say "User not found" before they write.
void check_new_membership(std::int64_t user_id, std::int64_t group_id, Lookup &lookup) {
    if (!lookup.user_exists(user_id)) {
        key_not_present(kUserForeignKey, "user_id", user_id, "user");
    }
    std::optional<std::int64_t> owner = lookup.lock_group(group_id);
    if (!owner) {
        throw Error(sqlstate::kNotFound, "Group not found");
    }
    if (*owner == user_id) {
        throw Error(sqlstate::kDuplicate, "User already is group owner");
    }
    if (lookup.member_role(user_id, group_id)) {
        throw Error(kPrimaryKey, sqlstate::kDuplicate, "User already is group member");
    }
}

}  // namespace

Insert on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup,
                 const std::optional<Row> &made) {
    fields::check(kRole, row.role);
    // Before the permission: the previous owner, who just handed the group over in this
    // transaction, may repeat the row its own change made (it writes nothing).
    if (made && made->user_id == row.user_id && made->group_id == row.group_id &&
        made->role == row.role && lookup.member_role(row.user_id, row.group_id) == row.role) {
        return Insert::kAlreadyMade;
    }
    permissions::authorize(actor, Entity::kMembership, Action::kCreate,
                           lookup.standing(actor, row.group_id));
    check_new_membership(row.user_id, row.group_id, lookup);
    return Insert::kWrite;
}

void on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
               Lookup &lookup) {
    fields::check(kRole, new_row.role);
    permissions::authorize(actor, Entity::kMembership, Action::kUpdate,
                           lookup.standing(actor, old_row.group_id));
    if (new_row.group_id == old_row.group_id && new_row.user_id == old_row.user_id) {
        return;
    }
    if (new_row.group_id != old_row.group_id) {
        permissions::authorize(actor, Entity::kMembership, Action::kCreate,
                               lookup.standing(actor, new_row.group_id));
    }
    check_new_membership(new_row.user_id, new_row.group_id, lookup);
}

void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    permissions::Standing standing = lookup.standing(actor, row.group_id);
    if (cascaded(standing)) {
        return;
    }
    bool self = !actor.system && row.user_id == actor.user_id;
    permissions::authorize(actor, Entity::kMembership, Action::kDelete, standing, self);
}

}  // namespace syncmaster::core::membership
