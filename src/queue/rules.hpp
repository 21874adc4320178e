// The rules of queue rows: Maintainers and above create, rename and delete them;
// names are printable ASCII, 3 to 128 characters, unique per group once normalized; the slug is
// made from the name at creation and never changes, nor the group; a queue transfers use stays.
#pragma once

#include "core/pure.hpp"

#include "core/columns.hpp"
#include "core/error.hpp"
#include "core/in_use.hpp"
#include "core/identity.hpp"
#include "core/lookup.hpp"
#include "core/search.hpp"
#include "queue/names.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace syncmaster::core::queue {

// Who writes each column (core/columns.hpp).
inline constexpr columns::Column kColumns[] = {
    columns::kId,
    columns::user_column("name"),
    {"slug", columns::OnInsert::kStamped, columns::OnUpdate::kImmutable, columns::Stamp::kComputed,
     "The slug of a queue cannot change", "It is fixed when the queue is created."},
    {"group_id", columns::OnInsert::kUser, columns::OnUpdate::kImmutable, columns::Stamp::kComputed,
     "A queue cannot move to another group", "Its slug names the group it was created in."},
    columns::user_column("description"),
    columns::kCreatedAt,
    columns::kUpdatedAt,
    columns::kSearchVector,
};

// A name also normalizes to a slug (names::check_queue_name).
inline constexpr fields::Text kName = fields::name("queue name", names::check_queue_name);
// What a name taken in the group stands for: the slug made of it would be taken.
inline constexpr Constraint kUniqueSlug{"queue", "uq__queue__slug"};
inline constexpr fields::Text kDescription =
    fields::at_most("queue description", fields::kDescriptionMax);

// Searched by name alone.
inline constexpr search::Searchable kSearchable{};

struct Row {
    std::int64_t id = 0;
    std::int64_t group_id = 0;
    std::optional<std::string> name;
    std::optional<std::string> slug;
};

// Decides a new queue and returns the slug to store: "{group_id}-{short name}", or, when the
// system brings one (a pg_dump restore, a move from SyncMaster, where a renamed queue kept the
// slug of its first name), nullopt to keep it.
std::optional<std::string> on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup);
void on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
               Lookup &lookup);
// Refuses a user's delete of a queue transfers use (55000 with the count); the system's takes them
// along (in_use::Dependents).
in_use::Dependents on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup);

}  // namespace syncmaster::core::queue
