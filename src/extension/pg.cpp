// The extension's SQL functions that span the entities: column_rights() over every table's
// declaration, and refuse_update(), which the UPDATE policies of every table call.
#include "extension/tables.hpp"

#include "core/error.hpp"
#include "core/permissions.hpp"
#include "user/rules.hpp"

#include <string>
#include <vector>

#include "pg/api.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/standing.hpp"

using namespace syncmaster;

// column_rights() → setof (table_name, column_name, on_insert, on_update, refusal): every table's
// column declaration, as the rules triggers apply it, with the message of a change refused to all.
SYNCMASTER_FUNCTION(syncmaster_column_rights) {
    struct Row {
        const char *table;
        const char *column;
        const char *on_insert;
        const char *on_update;
        std::string refusal;
    };
    std::vector<Row> rows;
    for (const core::columns::Table &table : extension::tables()) {
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

// refuse_update(entity text, key bigint) → boolean: raises the error the acting user gets for
// changing (or locking) a row of the entity it sees but may not change: 42501 with the detail
// naming the role needed. The key is the row's group, its user for "user". The UPDATE policies
// call it only for such rows, after the set-based conditions failed, so it ends the statement the
// first time it runs; it returns true only if the actor may change the row after all.
SYNCMASTER_FUNCTION(syncmaster_refuse_update) {
    const char *entity_text = pg::text_argument(fcinfo, 0);
    int64 key = pg::required_int8(fcinfo, 1, "key");
    core::identity::Actor actor = pg::current_actor().actor;
    if (entity_text != nullptr && std::string(entity_text) == "user") {
        core::user::authorize_update(actor, key);
        PG_RETURN_BOOL(true);
    }
    core::permissions::authorize(actor, pg::entity_argument(fcinfo),
                                 core::permissions::Action::kUpdate,
                                 pg::standing_in_group(actor, key));
    PG_RETURN_BOOL(true);
}
