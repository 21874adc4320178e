// Permissions: who may change what (DESIGN §7.1).
//
// This module holds the rules for users so far; group-role resolution for the other entities joins
// it with the permissions work.
#pragma once

#include "core/pure.hpp"

#include "core/identity.hpp"

#include <cstdint>
#include <string>

namespace syncmaster::core::permissions {

// The columns of a "user" row the rules look at.
struct UserRow {
    std::int64_t id = 0;
    std::string username;
    bool is_superuser = false;
    bool is_active = true;
};

// Creating users is for the system and superusers. Throws Error 42501 otherwise.
void check_user_insert(const identity::Actor &actor);

// A user may edit its own name and e-mail; username, is_superuser, is_active and other users are
// for the system and superusers. Throws Error 42501 otherwise.
void check_user_update(const identity::Actor &actor, const UserRow &old_row,
                       const UserRow &new_row);

// Deleting users is for the system and superusers. Throws Error 42501 otherwise.
void check_user_delete(const identity::Actor &actor);

}  // namespace syncmaster::core::permissions
