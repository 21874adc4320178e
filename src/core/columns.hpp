// Column rights: who may give each column of a table its value.
//
// Each entity declares, for every column of its table, what an INSERT and an UPDATE may do with
// it; the rules trigger of the table applies the declaration to the row before the entity's own
// rules run, so no column is writable because somebody forgot to decide about it. pgTAP compares
// the declarations with the catalog (test/pgtap/18_column_rights.sql): a column added to a table
// without one fails the suite. syncmaster.column_rights() shows them in SQL.
#pragma once

#include "core/pure.hpp"

#include "core/identity.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace syncmaster::core::columns {

// What an INSERT may put in the column.
enum class OnInsert {
    kUser,     // what the writer sends, judged by the entity's rules
    kStamped,  // the database's value replaces what a user sends (the system's is kept: restores)
    kKey,      // the identity: users hold no INSERT privilege on it; roles that bypass privileges
               // (restores) may choose it
};

// What an UPDATE may do to the column.
enum class OnUpdate {
    kUser,       // users with the entity's permission change it, judged by the entity's rules
    kAdmin,      // a syncmaster superuser or the system only (42501)
    kSystem,     // the system only (42501): what workers write
    kStamped,    // the database's: a user's change is undone (then the database stamps it again)
    kImmutable,  // never changes, for anyone (22023)
    kMoved,      // changes only through its operation (copy with remove_source): 22023 for users;
                 // the system's change goes to the entity's rules
};

// The value a kStamped column takes on a user's INSERT.
enum class Stamp {
    kComputed,  // the entity's rules or another trigger compute it for every user's row
    kNow,       // now(), as the column's default
    kNull,      // nothing yet
};

struct Column {
    const char *name;
    OnInsert on_insert;
    OnUpdate on_update;
    Stamp stamp = Stamp::kComputed;
    const char *refusal = nullptr;  // kImmutable, kMoved: the message (22023)
    const char *hint = nullptr;
    bool required = false;  // NULL is refused with 22023 "<name> is required" (a NOT NULL flag)
};

struct Table {
    const char *name;
    const Column *columns;
    std::size_t count;

    const Column *begin() const { return columns; }
    const Column *end() const { return columns + count; }
};

template <std::size_t N>
constexpr Table table(const char *name, const Column (&columns)[N]) {
    return Table{name, columns, N};
}

// The columns most tables share.
inline constexpr Column kId{"id", OnInsert::kKey, OnUpdate::kImmutable};
inline constexpr Column kCreatedAt{"created_at", OnInsert::kStamped, OnUpdate::kStamped,
                                   Stamp::kNow};
inline constexpr Column kUpdatedAt{"updated_at", OnInsert::kStamped, OnUpdate::kStamped,
                                   Stamp::kNow};  // then set to now() by touch_updated_at
inline constexpr Column kSearchVector{"search_vector", OnInsert::kStamped, OnUpdate::kStamped};
inline constexpr Column user_column(const char *name) {
    return Column{name, OnInsert::kUser, OnUpdate::kUser};
}
// A NOT NULL flag: a NULL sent for it is 22023 naming it, not the table's 23502.
inline constexpr Column flag_column(const char *name, OnUpdate on_update) {
    return Column{name, OnInsert::kUser, on_update, Stamp::kComputed, nullptr, nullptr, true};
}

// What the database writes into a column of a row being inserted.
enum class InsertVerdict { kKeep, kNow, kNull };
InsertVerdict on_insert(const Column &column, const identity::Actor &actor);

// Throws Error 22023 "<name> is required" when a required column is NULL in the row written.
void check_required(const Column &column, bool is_null);

// What becomes of a column an UPDATE `changed` (or not): kept as sent, or the stored value
// restored. Throws Error 42501 (kAdmin, kSystem) or 22023 (kImmutable, kMoved) for a change the
// actor may not make.
enum class UpdateVerdict { kKeep, kRestore };
UpdateVerdict on_update(const Table &table, const Column &column, const identity::Actor &actor,
                        bool changed);

// The declaration's words, as syncmaster.column_rights() shows them.
const char *name(OnInsert right);
const char *name(OnUpdate right);

}  // namespace syncmaster::core::columns
