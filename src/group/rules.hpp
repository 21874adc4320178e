// The rules of "group" rows: any active user creates a group and owns it; the owner
// and superusers change it; superusers delete it. Names are 3 to 128 characters and unique.
#pragma once

#include "core/pure.hpp"

#include "core/columns.hpp"
#include "core/error.hpp"
#include "core/identity.hpp"
#include "core/lookup.hpp"
#include "core/search.hpp"
#include "membership/rules.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace syncmaster::core::group {

// Who writes each column (core/columns.hpp). The owner, and who may change it, is the rules'.
inline constexpr columns::Column kColumns[] = {
    columns::kId,
    columns::user_column("name"),
    columns::user_column("description"),
    columns::user_column("owner_id"),
    columns::kCreatedAt,
    columns::kUpdatedAt,
    columns::kSearchVector,
};

inline constexpr fields::Text kName = fields::name("group name");
inline constexpr Constraint kUniqueName{"group", "uq__group__name"};
inline constexpr Constraint kOwnerForeignKey{"group", "fk__group__owner_id__user"};
inline constexpr fields::Text kDescription =
    fields::at_most("group description", fields::kDescriptionMax);

// Searched by name alone.
inline constexpr search::Searchable kSearchable{};

struct Row {
    std::int64_t id = 0;
    std::optional<std::string> name;
    std::optional<std::int64_t> owner_id;
};

// Decides a new group and returns the owner to store: the one named, or the acting user when none
// is (the system must name one: 22023 "owner_id is required when acting as the system"). Only a
// superuser names another owner (42501); the name is checked (22023) and must be free (23505
// "Group name already taken"). An owner that does not exist is the foreign key's 23503
// (fk__group__owner_id__user, key_not_present: SyncMaster's server maps it to "User not found");
// the API functions say "User not found" (P0002) before they write.
std::int64_t on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup);

// Changing a group needs its owner or a superuser; a new name is checked as on insert; a new owner
// must exist (23503 as on insert).
void on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
               Lookup &lookup);

// What an owner change writes into the memberships once the group row holds the new owner: the
// new owner's member row goes (the owner is never a member row) and the previous owner stays on as
// a Guest. The adapter makes these writes as the system; the membership rules judge them.
struct MembershipWrites {
    std::optional<membership::Row> remove;
    std::optional<membership::Row> add;
};
MembershipWrites after_update(const Row &old_row, const Row &new_row);

// Deleting a group is for superusers, refused to anyone else before the group is looked up.
void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup);

}  // namespace syncmaster::core::group
