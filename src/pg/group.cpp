// "group" rows: the rules trigger, and the AFTER trigger that makes an owner change's membership
// writes (the owner is never a member row; the previous owner stays on as a Guest).
#include "core/group.hpp"

#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

core::group::Row read_group(const TriggerData *trigger, HeapTuple tuple) {
    return core::group::Row{int8_column(trigger, tuple, "id"), text_column(trigger, tuple, "name"),
                            nullable_int8_column(trigger, tuple, "owner_id")};
}

SPIPlanPtr remove_member_plan = nullptr;
SPIPlanPtr add_member_plan = nullptr;

// Writes a membership as the table's owner; the membership rules judge it.
void remove_member(const core::membership::Row &row) {
    as_table_owner([&row]() {
        Oid types[2] = {INT8OID, INT8OID};
        SPIPlanPtr plan = kept_plan(&remove_member_plan,
                                    "DELETE FROM syncmaster.user_group "
                                    "WHERE user_id OPERATOR(pg_catalog.=) $1 "
                                    "AND group_id OPERATOR(pg_catalog.=) $2",
                                    2, types);
        Datum values[2] = {Int64GetDatum(row.user_id), Int64GetDatum(row.group_id)};
        if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_DELETE) {
            elog(ERROR, "removing a membership failed");
        }
        return 0;
    });
}

void add_member(const core::membership::Row &row) {
    const char *role = row.role ? row.role->c_str() : "";
    as_table_owner([&row, role]() {
        Oid types[3] = {INT8OID, INT8OID, TEXTOID};
        SPIPlanPtr plan = kept_plan(&add_member_plan,
                                    "INSERT INTO syncmaster.user_group (user_id, group_id, role) "
                                    "VALUES ($1, $2, $3)",
                                    3, types);
        Datum values[3] = {Int64GetDatum(row.user_id), Int64GetDatum(row.group_id),
                           CStringGetTextDatum(role)};
        if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_INSERT) {
            elog(ERROR, "adding a membership failed");
        }
        return 0;
    });
}

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
    TriggerData *trigger = pg::pg_call([fcinfo]() {
        if (!CALLED_AS_TRIGGER(fcinfo)) {
            ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                            errmsg("syncmaster.group_owner_changed must be called as a trigger")));
        }
        auto *t = reinterpret_cast<TriggerData *>(fcinfo->context);
        if (!TRIGGER_FIRED_AFTER(t->tg_event) || !TRIGGER_FIRED_FOR_ROW(t->tg_event) ||
            !TRIGGER_FIRED_BY_UPDATE(t->tg_event)) {
            ereport(ERROR,
                    (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                     errmsg("syncmaster.group_owner_changed must be fired AFTER UPDATE, FOR EACH "
                            "ROW")));
        }
        return t;
    });
    core::group::MembershipWrites writes =
        core::group::after_update(pg::read_group(trigger, trigger->tg_trigtuple),
                                  pg::read_group(trigger, trigger->tg_newtuple));
    if (!writes.remove && !writes.add) {
        return PointerGetDatum(nullptr);
    }
    pg::SystemActs system;
    if (writes.remove) {
        pg::remove_member(*writes.remove);
    }
    if (writes.add) {
        pg::add_member(*writes.add);
    }
    return PointerGetDatum(nullptr);
}
