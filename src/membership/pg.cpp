// user_group rows: the rules trigger. Memberships decide standings, so every write makes every
// backend forget its cached ones.
#include "membership/pg.hpp"
#include "membership/rules.hpp"

#include "core/error.hpp"

#include <vector>

#include "pg/api.hpp"
#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/search.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

core::membership::Row read_membership(const TriggerData *trigger, HeapTuple tuple) {
    RowValues values(trigger, tuple);
    return core::membership::Row{as_int8(values["user_id"]).value_or(0),
                                 as_int8(values["group_id"]).value_or(0), as_text(values["role"])};
}

// The Guest rows owner changes made, and the transaction that made them (the top-level one: a
// row a rolled-back savepoint took back is no longer there, which on_insert checks).
struct OwnerChanges {
    TransactionId xid = InvalidTransactionId;
    std::vector<core::membership::Row> rows;
};
OwnerChanges owner_changes;

std::optional<core::membership::Row> made_by_owner_change(const core::membership::Row &row) {
    if (owner_changes.xid != GetTopTransactionIdIfAny()) {
        return std::nullopt;
    }
    for (const core::membership::Row &made : owner_changes.rows) {
        if (made.user_id == row.user_id && made.group_id == row.group_id) {
            return made;
        }
    }
    return std::nullopt;
}

}  // namespace

void remember_owner_change(const core::membership::Row &row) {
    TransactionId xid = GetTopTransactionIdIfAny();
    if (owner_changes.xid != xid) {
        owner_changes.xid = xid;
        owner_changes.rows.clear();
    }
    owner_changes.rows.push_back(row);
}

// The column rights of user_group (core/columns.hpp).
constexpr core::columns::Table kMembershipColumns =
    core::columns::table("user_group", core::membership::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON user_group, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_membership_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.membership_rules");
    pg::forget_lookups(fired.trigger);
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kMembershipColumns, actor);
    pg::Probes lookup;
    switch (fired.event) {
        case pg::RowEvent::kInsert: {
            core::membership::Row row = pg::read_membership(fired.trigger, fired.new_row());
            if (core::membership::on_insert(actor, row, lookup, pg::made_by_owner_change(row)) ==
                core::membership::Insert::kAlreadyMade) {
                return PointerGetDatum(nullptr);  // nothing to write: it is there
            }
            break;
        }
        case pg::RowEvent::kUpdate:
            core::membership::on_update(actor, pg::read_membership(fired.trigger, fired.old_row()),
                                        pg::read_membership(fired.trigger, fired.new_row()),
                                        lookup);
            break;
        case pg::RowEvent::kDelete:
            core::membership::on_delete(actor, pg::read_membership(fired.trigger, fired.old_row()),
                                        lookup);
            break;
    }
    return fired.proceed();
}

// --- The members API: conveniences over the table, whose rules trigger decides every write. ---

namespace syncmaster::pg {
namespace {

namespace perm = core::permissions;

Statement insert_member(
    "INSERT INTO syncmaster.user_group (user_id, group_id, role) "
    "VALUES ($2, $1, $3)");
Statement update_member(
    "UPDATE syncmaster.user_group ug SET role = $3 "
    "WHERE ug.group_id OPERATOR(pg_catalog.=) $1 AND ug.user_id OPERATOR(pg_catalog.=) $2");
Statement delete_member(
    "DELETE FROM syncmaster.user_group ug "
    "WHERE ug.group_id OPERATOR(pg_catalog.=) $1 AND ug.user_id OPERATOR(pg_catalog.=) $2");

}  // namespace
}  // namespace syncmaster::pg

// add_group_member(group_id, user_id, role): owner or superuser.
SYNCMASTER_FUNCTION(syncmaster_add_group_member) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    std::optional<int64> user_id = pg::int8_param(fcinfo, 1);
    std::optional<std::string> role = pg::text_param(fcinfo, 2);
    pg::check(core::membership::kRole, role);
    pg::authorize(pg::perm::Entity::kMembership, pg::perm::Action::kCreate, group_id);
    pg::require_user(user_id);
    pg::insert_member.run(pg::As::kCaller,
                          {pg::int8_arg(group_id), pg::int8_arg(user_id), pg::text_arg(role)});
    PG_RETURN_VOID();
}

// set_member_role(group_id, user_id, role): owner or superuser; P0002 "User not found" for a user
// who is not a member.
SYNCMASTER_FUNCTION(syncmaster_set_member_role) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kMembership, pg::perm::Action::kUpdate, group_id);
    std::optional<std::string> role = pg::text_param(fcinfo, 2);
    pg::check(core::membership::kRole, role);
    pg::Result r = pg::update_member.run(
        pg::As::kCaller,
        {pg::int8_arg(group_id), pg::int8_arg(pg::int8_param(fcinfo, 1)), pg::text_arg(role)});
    if (r.processed == 0) {
        throw core::Error(core::sqlstate::kNotFound, "User not found");
    }
    PG_RETURN_VOID();
}

// remove_group_member(group_id, user_id): owner or superuser, or the member itself; 55000 "User
// already is not group member" when there is no such member.
SYNCMASTER_FUNCTION(syncmaster_remove_group_member) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    std::optional<int64> user_id = pg::int8_param(fcinfo, 1);
    pg::authorize(pg::perm::Entity::kMembership, pg::perm::Action::kDelete, group_id, user_id);
    pg::Result r =
        pg::delete_member.run(pg::As::kCaller, {pg::int8_arg(group_id), pg::int8_arg(user_id)});
    if (r.processed == 0) {
        throw core::Error(core::sqlstate::kInUse, "User already is not group member");
    }
    PG_RETURN_VOID();
}

namespace syncmaster::pg {
namespace {

// The function's search_path is pg_catalog, pg_temp.
Statement members_page(
    "SELECT u.id, u.username, ug.role, count(*) OVER () FROM syncmaster.user_group ug "
    "JOIN syncmaster.\"user\" u ON u.id = ug.user_id WHERE ug.group_id = $1 AND u.is_active "
    "ORDER BY u.username LIMIT $2 OFFSET ($3 - 1) * $2");

}  // namespace
}  // namespace syncmaster::pg

// list_group_members(group_id, page, page_size) → (id, username, role, total): a group's active
// members by username (the owner is not a member).
SYNCMASTER_FUNCTION(syncmaster_list_group_members) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kMembership, pg::perm::Action::kRead, group_id);
    pg::Page page = pg::page_params(fcinfo, 1);
    return pg::members_page.return_rows(
        fcinfo, {pg::int8_arg(group_id), pg::int8_arg(page.size), pg::int8_arg(page.number)});
}
