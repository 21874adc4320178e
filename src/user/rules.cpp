#include "user/rules.hpp"

#include "core/error.hpp"
#include "core/fields.hpp"

#include <vector>

namespace syncmaster::core::user {

namespace {

void check_username(const std::optional<std::string> &username, std::int64_t own_id,
                    Lookup &lookup) {
    fields::check_username(username, username ? lookup.role_named(*username) : fields::RoleNamed{});
    if (lookup.username_taken(*username, own_id)) {
        throw Error(kUniqueUsername, sqlstate::kDuplicate, "Username is already taken");
    }
}

}  // namespace

void on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    if (!actor.is_superuser) {
        forbidden("Creating users needs a superuser.");
    }
    check_username(row.username, row.id, lookup);
}

void on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
               Lookup &lookup) {
    authorize_update(actor, old_row.id);
    if (new_row.username != old_row.username) {
        check_username(new_row.username, new_row.id, lookup);
    }
}

void authorize_update(const identity::Actor &actor, std::int64_t user_id) {
    if (!actor.is_superuser && user_id != actor.user_id) {
        forbidden("Changing another user needs a superuser.");
    }
}

in_use::Dependents on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    if (!actor.is_superuser) {
        forbidden("Deleting users needs a superuser.");
    }
    std::vector<std::string> owned = lookup.groups_owned_by(row.id);
    if (owned.empty()) {
        return in_use::Dependents::kNone;
    }
    if (actor.system) {
        return in_use::Dependents::kRemove;
    }
    std::string names;
    for (const std::string &name : owned) {
        names += (names.empty() ? "\"" : ", \"") + name + "\"";
    }
    throw Error(sqlstate::kInUse,
                "User " + row.username.value_or("") + " owns groups and cannot be deleted",
                "Groups owned: " + names + ".",
                "Give each group another owner with syncmaster.update_group() first.");
}

}  // namespace syncmaster::core::user
