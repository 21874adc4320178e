// "group" rows: the rules trigger, and the AFTER trigger that makes an owner change's membership
// writes (the owner is never a member row; the previous owner stays on as a Guest).
#include "group/rules.hpp"
#include "membership/pg.hpp"

#include "pg/api.hpp"
#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/search.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

core::group::Row read_group(const TriggerData *trigger, HeapTuple tuple) {
    RowValues values(trigger, tuple);
    return core::group::Row{as_int8(values["id"]).value_or(0), as_text(values["name"]),
                            as_int8(values["owner_id"])};
}

// The owner change's membership writes, as the tables' owner; the membership rules judge them.
Statement remove_member(
    "DELETE FROM syncmaster.user_group WHERE user_id OPERATOR(pg_catalog.=) $1"
    " AND group_id OPERATOR(pg_catalog.=) $2");
Statement add_member(
    "INSERT INTO syncmaster.user_group (user_id, group_id, role) "
    "VALUES ($1, $2, $3)");

}  // namespace

// The column rights of group (core/columns.hpp).
constexpr core::columns::Table kGroupColumns = core::columns::table("group", core::group::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON "group", FOR EACH ROW. On insert, a missing owner_id
// becomes the acting user.
SYNCMASTER_FUNCTION(syncmaster_group_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.group_rules");
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kGroupColumns, actor);
    pg::Probes lookup;
    pg::forget_lookups(fired.trigger);
    switch (fired.event) {
        case pg::RowEvent::kInsert: {
            core::group::Row row = pg::read_group(fired.trigger, fired.new_row());
            if (row.owner_id) {
                pg::lock_referenced(pg::Referenced::kUser, &*row.owner_id, 1);
            }
            std::int64_t owner_id = core::group::on_insert(actor, row, lookup);
            if (row.owner_id != owner_id) {
                return PointerGetDatum(
                    pg::with_int8(fired.trigger, fired.new_row(), "owner_id", owner_id));
            }
            break;
        }
        case pg::RowEvent::kUpdate: {
            core::group::Row old_row = pg::read_group(fired.trigger, fired.old_row());
            core::group::Row row = pg::read_group(fired.trigger, fired.new_row());
            if (row.owner_id && row.owner_id != old_row.owner_id) {
                pg::lock_referenced(pg::Referenced::kUser, &*row.owner_id, 1);
            }
            core::group::on_update(actor, old_row, row, lookup);
            break;
        }
        case pg::RowEvent::kDelete:
            core::group::on_delete(actor, pg::read_group(fired.trigger, fired.old_row()), lookup);
            break;
    }
    return fired.proceed();
}

// AFTER UPDATE OF owner_id ON "group": the membership writes of the owner change
// (core::group::after_update), made as the system and judged by the membership rules.
SYNCMASTER_FUNCTION(syncmaster_group_owner_changed) {
    pg::Fired fired = pg::fired_after_row(fcinfo, "syncmaster.group_owner_changed");
    core::group::MembershipWrites writes =
        core::group::after_update(pg::read_group(fired.trigger, fired.old_row()),
                                  pg::read_group(fired.trigger, fired.new_row()));
    if (!writes.remove && !writes.add) {
        return PointerGetDatum(nullptr);
    }
    pg::SystemActs system;
    if (writes.remove) {
        pg::remove_member.run(pg::As::kTableOwner, {pg::int8_arg(writes.remove->user_id),
                                                    pg::int8_arg(writes.remove->group_id)});
    }
    if (writes.add) {
        pg::add_member.run(pg::As::kTableOwner,
                           {pg::int8_arg(writes.add->user_id), pg::int8_arg(writes.add->group_id),
                            pg::text_arg(writes.add->role)});
        pg::remember_owner_change(*writes.add);
    }
    return PointerGetDatum(nullptr);
}

// --- The groups API: conveniences over the table, whose rules trigger decides every write. ---

namespace syncmaster::pg {
namespace {

namespace perm = core::permissions;

Statement insert_group(
    "INSERT INTO syncmaster.\"group\" (name, description, owner_id) "
    "VALUES ($1, COALESCE($2, ''), $3) RETURNING id");
Statement update_group(
    "UPDATE syncmaster.\"group\" g SET name = COALESCE($2, g.name),"
    " description = COALESCE($3, g.description), owner_id = COALESCE($4, g.owner_id) "
    "WHERE g.id OPERATOR(pg_catalog.=) $1");
Statement delete_group("DELETE FROM syncmaster.\"group\" g WHERE g.id OPERATOR(pg_catalog.=) $1");

}  // namespace
}  // namespace syncmaster::pg

// create_group(name, description, owner_id) → bigint: owned by the acting user unless the system
// or a superuser names the owner (the rules trigger decides).
SYNCMASTER_FUNCTION(syncmaster_create_group) {
    std::optional<std::string> name = pg::text_param(fcinfo, 0);
    std::optional<std::string> description = pg::text_param(fcinfo, 1);
    pg::check(core::group::kName, name);
    pg::check(core::group::kDescription, description);
    std::optional<int64> owner_id = pg::int8_param(fcinfo, 2);
    if (pg::current_actor().actor.is_superuser) {
        pg::require_user(owner_id);  // anyone else naming an owner is refused by the rules
    }
    std::optional<int64> id = pg::insert_group.first_int8(
        pg::As::kCaller, {pg::text_arg(name), pg::text_arg(description), pg::int8_arg(owner_id)});
    PG_RETURN_INT64(*id);
}

// update_group(group_id, name, description, owner_id): NULL keeps a value; owner or superuser.
SYNCMASTER_FUNCTION(syncmaster_update_group) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kGroup, pg::perm::Action::kUpdate, group_id);
    std::optional<std::string> name = pg::text_param(fcinfo, 1);
    std::optional<std::string> description = pg::text_param(fcinfo, 2);
    if (name) {
        pg::check(core::group::kName, name);
    }
    pg::check(core::group::kDescription, description);
    std::optional<int64> owner_id = pg::int8_param(fcinfo, 3);
    pg::require_user(owner_id);
    pg::update_group.run(pg::As::kCaller, {pg::int8_arg(group_id), pg::text_arg(name),
                                           pg::text_arg(description), pg::int8_arg(owner_id)});
    PG_RETURN_VOID();
}

// delete_group(group_id): superusers only, refused to anyone else before the group is looked up.
SYNCMASTER_FUNCTION(syncmaster_delete_group) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kGroup, pg::perm::Action::kDelete, group_id);
    pg::delete_group.run(pg::As::kCaller, {pg::int8_arg(group_id)});
    PG_RETURN_VOID();
}

namespace syncmaster::pg {
namespace {

// The function's search_path is pg_catalog, pg_temp. @@ is not leakproof: the group filter is
// spelled out, not left to row-level security.
Statement groups_page(
    "WITH mine AS ("
    " SELECT g.id, g.name, g.description, g.owner_id, g.search_vector,"
    "  CASE WHEN $1 THEN $8 WHEN g.owner_id = $2 THEN $9 ELSE ug.role::text END AS role"
    " FROM syncmaster.\"group\" g"
    " LEFT JOIN syncmaster.user_group ug ON ug.group_id = g.id AND ug.user_id = $2"
    " WHERE ($1 OR g.id = ANY ($3)) AND ($4::tsquery IS NULL OR g.search_vector @@ $4)) "
    "SELECT m.id, m.name, m.description, m.owner_id, m.role, count(*) OVER () FROM mine m "
    // Superusers see every group whatever the filter, as in SyncMaster.
    "WHERE $1 OR $5::bigint IS NULL OR syncmaster.role_rank(m.role) >= $5 "
    "ORDER BY CASE WHEN $4::tsquery IS NULL THEN 0 ELSE ts_rank(m.search_vector, $4) END DESC,"
    " m.name LIMIT $6 OFFSET ($7 - 1) * $6");

}  // namespace
}  // namespace syncmaster::pg

// list_groups(search, min_role, page, page_size) → (id, name, description, owner_id, role,
// total): the groups the acting user owns or belongs to (all for superusers) with its role in each.
SYNCMASTER_FUNCTION(syncmaster_list_groups) {
    core::identity::Actor actor = pg::current_actor().actor;  // 28000/42501 first
    std::vector<std::int64_t> visible = pg::visible_group_ids(actor);
    pg::Page page = pg::page_params(fcinfo, 2);
    pg::Arg query = pg::search_arg(pg::text_param(fcinfo, 0));
    std::optional<std::string> min_role = pg::text_param(fcinfo, 1);
    std::optional<std::int64_t> min_rank;
    if (min_role) {
        min_rank = core::permissions::group_role_rank(*min_role);
    }
    return pg::groups_page.return_rows(
        fcinfo,
        {pg::bool_arg(actor.is_superuser),
         pg::int8_arg(actor.system ? std::nullopt : std::optional(actor.user_id)),
         pg::int8_array_arg(visible), query, pg::int8_arg(min_rank), pg::int8_arg(page.size),
         pg::int8_arg(page.number), pg::text_arg(core::permissions::kSuperuserRank),
         pg::text_arg(core::permissions::kOwnerRank)});
}
