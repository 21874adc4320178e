// The rules of user_group rows: the owner and superusers add members, change their
// roles and remove them; any member may leave; the owner is never a member row.
#pragma once

#include "core/pure.hpp"

#include "core/columns.hpp"
#include "core/error.hpp"
#include "core/identity.hpp"
#include "core/lookup.hpp"
#include "core/permissions.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace syncmaster::core::membership {

// Who writes each column (core/columns.hpp). A membership moved to another user or group is
// checked against both by the rules.
inline constexpr columns::Column kColumns[] = {
    columns::user_column("user_id"),
    columns::user_column("group_id"),
    columns::user_column("role"),
};

inline void check_role(std::string_view role) {
    permissions::require_role(role);
}
// Maintainer, Developer or Guest.
inline constexpr fields::Text kRole = fields::one_of("role", check_role);
// A user is a member of a group once.
inline constexpr Constraint kPrimaryKey{"user_group", "pk__user_group"};
inline constexpr Constraint kUserForeignKey{"user_group", "fk__user_group__user_id__user"};

struct Row {
    std::int64_t user_id = 0;
    std::int64_t group_id = 0;
    std::optional<std::string> role;
};

// What becomes of an INSERT the rules let through.
enum class Insert {
    kWrite,
    kAlreadyMade,  // the row is there as an owner change of this transaction made it: skip it
};

// The role must be Maintainer, Developer or Guest (22023); adding needs the owner or a superuser;
// the user must not own the group nor be a member already (23505; a user that does not exist is
// the foreign key's 23503, key_not_present). `made` is the membership an owner change of this group
// made in this transaction, if any (the previous owner as a Guest): an INSERT of exactly that row,
// still there, is what SyncMaster's server sends right after its owner change, and is kAlreadyMade
// (before any permission: the previous owner repeating its own change's row writes nothing), not a
// duplicate.
Insert on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup,
                 const std::optional<Row> &made = std::nullopt);

// A role change as adding; a row moved to another user or group is checked as a new membership.
void on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
               Lookup &lookup);

// Removing a member needs the owner or a superuser; any member may remove itself.
void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup);

}  // namespace syncmaster::core::membership
