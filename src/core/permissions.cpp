#include "core/permissions.hpp"

#include "core/error.hpp"

namespace syncmaster::core::permissions {

static void refuse(const std::string &detail) {
    throw Error(sqlstate::kForbidden, "You have no power here", detail);
}

void check_user_insert(const identity::Actor &actor) {
    if (!actor.is_superuser) {
        refuse("Creating users needs a superuser.");
    }
}

void check_user_update(const identity::Actor &actor, const UserRow &old_row,
                       const UserRow &new_row) {
    if (actor.is_superuser) {
        return;
    }
    if (old_row.id != actor.user_id) {
        refuse("Changing another user needs a superuser.");
    }
    if (new_row.id != old_row.id || new_row.username != old_row.username ||
        new_row.is_superuser != old_row.is_superuser || new_row.is_active != old_row.is_active) {
        refuse("Changing id, username, is_superuser or is_active needs a superuser.");
    }
}

void check_user_delete(const identity::Actor &actor) {
    if (!actor.is_superuser) {
        refuse("Deleting users needs a superuser.");
    }
}

}  // namespace syncmaster::core::permissions
