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

bool has_required(const core::columns::Table &table) {
    for (const core::columns::Column &column : table) {
        if (column.required) {
            return true;
        }
    }
    return false;
}

void apply_on_insert(Fired &fired, const core::columns::Table &table,
                     const core::identity::Actor &actor) {
    if (has_required(table)) {
        check_required(RowValues(fired.trigger, fired.new_row()), table);
    }
    if (actor.system) {
        return;  // the system's values stand: restores, SyncMaster's own server
    }
    RowChanges changes(fired.trigger);
    for (const core::columns::Column &column : table) {
        switch (core::columns::on_insert(column, actor)) {
            case core::columns::InsertVerdict::kKeep:
                break;
            case core::columns::InsertVerdict::kNow:
                changes.set_now(column.name);
                break;
            case core::columns::InsertVerdict::kNull:
                changes.set_null(column.name);
                break;
        }
    }
    HeapTuple row = fired.new_row();
    HeapTuple stamped = changes.apply(row);
    if (stamped != row) {
        fired.stamped = stamped;
    }
}

void apply_on_update(Fired &fired, const core::columns::Table &table,
                     const core::identity::Actor &actor) {
    RowValues old_values(fired.trigger, fired.old_row());
    RowValues new_values(fired.trigger, fired.new_row());
    check_required(new_values, table);
    RowChanges changes(fired.trigger);
    for (const core::columns::Column &column : table) {
        if (column.on_update == core::columns::OnUpdate::kUser) {
            continue;  // the entity's rules judge it
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

// column_rights() → setof (table_name, column_name, on_insert, on_update): every table's column
// declaration, as the rules triggers apply it.
SYNCMASTER_FUNCTION(syncmaster_column_rights) {
    struct Row {
        const char *table;
        const char *column;
        const char *on_insert;
        const char *on_update;
        std::string refusal;
    };
    std::vector<Row> rows;
    for (const core::columns::Table &table : core::columns::tables()) {
        for (const core::columns::Column &column : table) {
            // The message of an UPDATE refused for everyone, as on_update() words it.
            std::string refusal;
            if (column.on_update == core::columns::OnUpdate::kImmutable ||
                column.on_update == core::columns::OnUpdate::kMoved) {
                try {
                    core::columns::on_update(table, column, core::identity::Actor{}, true);
                } catch (const core::Error &e) {
                    refusal = e.message();
                }
            }
            rows.push_back(Row{table.name, column.name, core::columns::name(column.on_insert),
                               core::columns::name(column.on_update), refusal});
        }
    }
    const Row *data = rows.data();
    std::size_t count = rows.size();
    pg::pg_call([fcinfo, data, count]() {
        InitMaterializedSRF(fcinfo, 0);
        auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
        for (std::size_t i = 0; i < count; ++i) {
            Datum values[5] = {
                CStringGetTextDatum(data[i].table), CStringGetTextDatum(data[i].column),
                CStringGetTextDatum(data[i].on_insert), CStringGetTextDatum(data[i].on_update),
                CStringGetTextDatum(data[i].refusal.c_str())};
            bool nulls[5] = {false, false, false, false, data[i].refusal.empty()};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
        return 0;
    });
    return Datum(0);
}
