// The rules of "user" rows: who may create, change and delete users, and what a
// username may be. Pure: the database is asked through core::Lookup.
#pragma once

#include "core/pure.hpp"

#include "core/columns.hpp"
#include "core/error.hpp"
#include "core/in_use.hpp"
#include "core/identity.hpp"
#include "core/lookup.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace syncmaster::core::user {

// Who writes each column (core/columns.hpp). Only superusers create users; a user changes its own
// e-mail and names.
inline constexpr columns::Column kColumns[] = {
    columns::kId,
    {"username", columns::OnInsert::kUser, columns::OnUpdate::kAdmin},
    columns::user_column("email"),
    columns::user_column("first_name"),
    columns::user_column("last_name"),
    columns::user_column("middle_name"),
    columns::flag_column("is_superuser", columns::OnUpdate::kAdmin),
    columns::flag_column("is_active", columns::OnUpdate::kAdmin),
    columns::kCreatedAt,
    columns::kUpdatedAt,
};

// user_total: the number of users and of active users, kept by the user table's triggers.
inline constexpr columns::Column kTotalColumns[] = {
    {"one", columns::OnInsert::kStamped, columns::OnUpdate::kImmutable},
    {"users", columns::OnInsert::kStamped, columns::OnUpdate::kStamped},
    {"active", columns::OnInsert::kStamped, columns::OnUpdate::kStamped},
};

// The text fields a user writes besides its username (fields::check_username).
inline constexpr fields::Text kEmail = fields::at_most("user email", fields::kPersonFieldMax);
inline constexpr fields::Text kFirstName =
    fields::at_most("user first_name", fields::kPersonFieldMax);
inline constexpr fields::Text kLastName =
    fields::at_most("user last_name", fields::kPersonFieldMax);
inline constexpr fields::Text kMiddleName =
    fields::at_most("user middle_name", fields::kPersonFieldMax);

// Usernames are unique (a unique index, which PostgreSQL names as the constraint).
inline constexpr Constraint kUniqueUsername{"user", "ix__user__username"};

// The columns of a "user" row the rules look at.
struct Row {
    std::int64_t id = 0;
    std::optional<std::string> username;
    bool is_superuser = false;
    bool is_active = true;
};

// Creating users is for the system and superusers (42501); the username must be one a login role
// can have (fields::check_username, 22023) and free (23505 "Username is already taken").
void on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup);

// A user may edit its own e-mail and names; the id, username, is_superuser, is_active and other
// users are for the system and superusers (42501). A new username is checked as on insert.
void on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
               Lookup &lookup);

// A user changes its own row; a superuser (or the system) any. Throws Error 42501 otherwise.
void authorize_update(const identity::Actor &actor, std::int64_t user_id);

// Deleting users is for the system and superusers (42501). A superuser cannot delete a user who
// owns groups (55000, naming the groups): ownership moves first; the system's delete takes the
// groups along (in_use::Dependents).
in_use::Dependents on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup);

}  // namespace syncmaster::core::user
