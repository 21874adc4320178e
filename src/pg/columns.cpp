#include "core/columns.hpp"

#include "pg/columns.hpp"

#include "pg/entry.hpp"

#include <string>
#include <vector>

namespace syncmaster::pg {

namespace {

// Refuses a NULL in a required column of the row to be written (core::columns::check_required).
void check_required(const RowValues &row, const core::columns::Table &table) {
    for (const core::columns::Column &column : table) {
        core::columns::check_required(column, column.required && row[column.name].isnull);
    }
}

void apply_on_insert(Fired &fired, const core::columns::Table &table,
                     const core::identity::Actor &actor) {
    RowValues values(fired.trigger, fired.new_row());
    check_required(values, table);
    if (actor.system) {
        return;  // the system's values stand: restores, SyncMaster's own server
    }
    // Only what differs from the database's value is written: a row sent with the defaults (the
    // usual INSERT) is handed back as it is.
    RowChanges changes(fired.trigger);
    for (const core::columns::Column &column : table) {
        switch (core::columns::on_insert(column, actor)) {
            case core::columns::InsertVerdict::kKeep:
                break;
            case core::columns::InsertVerdict::kNow:
                if (!values.is_now(column.name)) {
                    changes.set_now(column.name);
                }
                break;
            case core::columns::InsertVerdict::kNull:
                if (!values[column.name].isnull) {
                    changes.set_null(column.name);
                }
                break;
        }
    }
    HeapTuple row = fired.new_row();
    HeapTuple stamped = changes.apply(row);
    if (stamped != row) {
        fired.stamped = stamped;
    }
}

// Whether the UPDATE's SET list names a column whose declaration is more than kUser: only a column
// the statement sets can differ from the stored row when the rules trigger fires (it is the first
// of the table's BEFORE triggers). Reads the trigger's relation and tg_updatedcols, which cannot
// raise: no guard.
bool sets_declared_column(const Fired &fired, const core::columns::Table &table) {
    TupleDesc desc = RelationGetDescr(fired.trigger->tg_relation);
    int member = -1;
    while ((member = bms_next_member(fired.trigger->tg_updatedcols, member)) >= 0) {
        int attnum = member + FirstLowInvalidHeapAttributeNumber;
        if (attnum <= 0 || attnum > desc->natts) {
            continue;
        }
        const char *name = NameStr(TupleDescAttr(desc, attnum - 1)->attname);
        for (const core::columns::Column &column : table) {
            if ((column.on_update != core::columns::OnUpdate::kUser || column.required) &&
                strcmp(column.name, name) == 0) {
                return true;
            }
        }
    }
    return false;
}

void apply_on_update(Fired &fired, const core::columns::Table &table,
                     const core::identity::Actor &actor) {
    // The usual UPDATE names only columns users write: nothing to compare, no row to deform.
    // (Walks the one or two columns the statement sets, not the table's declaration.)
    if (!sets_declared_column(fired, table)) {
        return;
    }
    RowValues old_values(fired.trigger, fired.old_row());
    RowValues new_values(fired.trigger, fired.new_row());
    check_required(new_values, table);
    RowChanges changes(fired.trigger);
    for (const core::columns::Column &column : table) {
        if (column.on_update == core::columns::OnUpdate::kUser ||
            !column_updated(fired.trigger, column.name)) {
            continue;  // the entity's rules judge it, or the statement leaves it alone
        }
        bool changed = !new_values.same(old_values, column.name);
        if (core::columns::on_update(table, column, actor, changed) ==
            core::columns::UpdateVerdict::kRestore) {
            changes.set_value(column.name, old_values[column.name]);
        }
    }
    HeapTuple row = fired.new_row();
    HeapTuple stamped = changes.apply(row);
    if (stamped != row) {
        fired.stamped = stamped;
    }
}

}  // namespace

void apply_column_rights(Fired &fired, const core::columns::Table &table,
                         const core::identity::Actor &actor) {
    switch (fired.event) {
        case RowEvent::kInsert:
            apply_on_insert(fired, table, actor);
            break;
        case RowEvent::kUpdate:
            apply_on_update(fired, table, actor);
            break;
        case RowEvent::kDelete:
            break;
    }
}

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE UPDATE on every table with updated_at: sets it to now(), the transaction's start time,
// whoever writes the row.
SYNCMASTER_FUNCTION(syncmaster_touch_updated_at) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.touch_updated_at");
    if (fired.event != pg::RowEvent::kUpdate) {
        throw core::Error(core::sqlstate::kTriggerProtocol,
                          "syncmaster.touch_updated_at must be fired by UPDATE");
    }
    return PointerGetDatum(pg::RowChanges(fired.trigger)
                               .set_now(core::columns::kUpdatedAt.name)
                               .apply(fired.new_row()));
}
