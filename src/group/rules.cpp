#include "group/rules.hpp"

#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/permissions.hpp"

namespace syncmaster::core::group {

namespace {

void check_name(const std::optional<std::string> &name, std::int64_t own_id, Lookup &lookup) {
    fields::check(kName, name);
    if (lookup.group_name_taken(*name, own_id)) {
        throw Error(kUniqueName, sqlstate::kDuplicate, "Group name already taken");
    }
}

void check_owner_exists(std::int64_t owner_id, Lookup &lookup) {
    if (!lookup.user_exists(owner_id)) {
        key_not_present(kOwnerForeignKey, "owner_id", owner_id, "user");
    }
}

}  // namespace

std::int64_t on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    if (!row.owner_id && actor.system) {
        throw Error(sqlstate::kInvalidInput, "owner_id is required when acting as the system");
    }
    std::int64_t owner_id = row.owner_id.value_or(actor.user_id);
    if (!actor.is_superuser && owner_id != actor.user_id) {
        forbidden("A group is created with its creator as owner; only a superuser names another.");
    }
    fields::check(kName, row.name);
    check_owner_exists(owner_id, lookup);
    check_name(row.name, row.id, lookup);
    return owner_id;
}

MembershipWrites after_update(const Row &old_row, const Row &new_row) {
    MembershipWrites writes;
    if (!old_row.owner_id || !new_row.owner_id || old_row.owner_id == new_row.owner_id) {
        return writes;
    }
    writes.remove = membership::Row{*new_row.owner_id, new_row.id, std::nullopt};
    writes.add = membership::Row{*old_row.owner_id, new_row.id,
                                 permissions::role_name(permissions::Role::kGuest)};
    return writes;
}

void on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
               Lookup &lookup) {
    permissions::authorize(actor, permissions::Entity::kGroup, permissions::Action::kUpdate,
                           lookup.standing(actor, old_row.id));
    if (new_row.name != old_row.name) {
        check_name(new_row.name, new_row.id, lookup);
    }
    if (new_row.owner_id != old_row.owner_id) {
        if (!new_row.owner_id) {
            throw Error(sqlstate::kInvalidInput, "owner_id is required");
        }
        check_owner_exists(*new_row.owner_id, lookup);
    }
}

void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    // authorize() refuses anyone but a superuser before it reads the standing: the group is not
    // even looked up for them.
    permissions::authorize(
        actor, permissions::Entity::kGroup, permissions::Action::kDelete,
        actor.is_superuser ? lookup.standing(actor, row.id) : permissions::Standing{});
}

}  // namespace syncmaster::core::group
