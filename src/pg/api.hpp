// What the API functions of every entity share: their arguments as C++ values, the check of a text
// argument against its field, and the permission check that gives SyncMaster's errors in
// SyncMaster's order where no row would reach a trigger (an invisible group, a missing member).
// The rules triggers decide every write again, for direct DML alike.
#pragma once

#include "core/fields.hpp"
#include "core/permissions.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/pg.hpp"
#include "pg/spi.hpp"

namespace syncmaster::pg {

// Argument i of the calling SQL function; nullopt for SQL NULL.
std::optional<std::string> text_param(FunctionCallInfo fcinfo, int i);
std::optional<std::int64_t> int8_param(FunctionCallInfo fcinfo, int i);

// Argument i, a text array (varchar[]), element by element; nullopt for SQL NULL.
std::optional<std::vector<std::optional<std::string>>> text_array_param(FunctionCallInfo fcinfo,
                                                                        int i);

// The page of a list function, arguments `page_arg` and `page_arg + 1` (page, page_size),
// checked (core::fields::check_page).
struct Page {
    std::int64_t number;
    std::int64_t size;
};
Page page_params(FunctionCallInfo fcinfo, int page_arg);

// Refuses a text argument outside its field's bounds (22023 naming the field), before a varchar
// column could refuse it raw (22001).
void check(const core::fields::Text &field, const std::optional<std::string> &value);

// Raises the error core::permissions gives the acting user for this action in this group (no group:
// a group that does not exist), or returns. `target_user` is the user a membership change is about
// (a member may remove itself).
void authorize(core::permissions::Entity entity, core::permissions::Action action,
               std::optional<std::int64_t> group_id,
               std::optional<std::int64_t> target_user = std::nullopt);

// SyncMaster's API answer for a user named that does not exist: P0002 "User not found" (a direct
// write meets the foreign key instead). Nothing for nullopt.
void require_user(std::optional<std::int64_t> user_id);

// A read-only transaction (a hot standby, say) refuses the function's write before the function
// reads anything to decide it: PostgreSQL's own 25006 "cannot execute <command> in a read-only
// transaction", as the write itself would say.
void require_writable(const char *command);

// Argument 0 of authorize() and the policy functions: an entity's name (22023 for another).
core::permissions::Entity entity_argument(FunctionCallInfo fcinfo);

// The group of the row `id` a statement `SELECT group_id FROM ... WHERE id = $1` finds as the
// caller sees it; nullopt when the caller sees no such row.
std::optional<std::int64_t> group_of(Statement &statement, std::int64_t id);

}  // namespace syncmaster::pg
