// connection rows: the rules trigger, which writes back the normalized data and, when the type
// changes, re-seals the stored credentials for the new type (or refuses the change).
#include "core/connection.hpp"
#include "core/json.hpp"

#include "pg/columns.hpp"
#include "pg/credentials.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/spi.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

// The row; on UPDATE, `with_data` false leaves data unread (the caller saw it unchanged).
core::connection::Row read_connection(const RowValues &values, bool with_data = true) {
    core::connection::Row row{as_int8(values["id"]).value_or(0),
                              as_int8(values["group_id"]).value_or(0),
                              as_text(values["name"]),
                              as_text(values["type"]),
                              std::nullopt,
                              !with_data};
    if (with_data) {
        row.data = as_jsonb_text(values["data"]);
    }
    return row;
}

SPIPlanPtr read_token_plan = nullptr;
SPIPlanPtr write_token_plan = nullptr;

// The connection's credentials token, nullptr when it has none. auth_data is its owner's only.
const char *stored_token(std::int64_t connection_id) {
    return as_table_owner([connection_id]() -> const char * {
        Oid types[1] = {INT8OID};
        SPIPlanPtr plan = kept_plan(&read_token_plan,
                                    "SELECT value FROM syncmaster.auth_data "
                                    "WHERE connection_id OPERATOR(pg_catalog.=) $1",
                                    1, types);
        Datum values[1] = {Int64GetDatum(connection_id)};
        if (SPI_execute_plan(plan, values, nullptr, true, 1) != SPI_OK_SELECT) {
            elog(ERROR, "reading the credentials of connection " INT64_FORMAT " failed",
                 connection_id);
        }
        if (SPI_processed == 0) {
            return nullptr;
        }
        // Copied out of SPI's memory, which SPI_finish frees, into the caller's.
        char *value = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
        char *copy = static_cast<char *>(SPI_palloc(strlen(value) + 1));
        strcpy(copy, value);
        return copy;
    });
}

void store_token(std::int64_t connection_id, const std::string &token) {
    const char *text = token.c_str();
    as_table_owner([connection_id, text]() {
        Oid types[2] = {INT8OID, TEXTOID};
        SPIPlanPtr plan = kept_plan(&write_token_plan,
                                    "UPDATE syncmaster.auth_data SET value = $2 "
                                    "WHERE connection_id OPERATOR(pg_catalog.=) $1",
                                    2, types);
        Datum values[2] = {Int64GetDatum(connection_id), CStringGetTextDatum(text)};
        if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_UPDATE) {
            elog(ERROR, "re-sealing the credentials of connection " INT64_FORMAT " failed",
                 connection_id);
        }
        return 0;
    });
}

// Credentials a connection keeps across a change of type must fit the new type: re-sealed when
// they do, the change refused when they do not. (update_connection() with new credentials
// removes the old ones first.)
void refit_credentials(const core::connection::Row &row, const std::string &data) {
    const char *token = stored_token(row.id);
    if (token == nullptr) {
        return;
    }
    core::connection_types::Json credentials =
        core::connection_types::Json::parse(open_credentials(token));
    core::connection_types::Json refit = core::connection::refit_credentials(
        *row.type, core::connection_types::Json::parse(data), credentials);
    store_token(row.id, seal_credentials(refit));
}

}  // namespace

// The column rights of connection (core/columns.hpp).
constexpr core::columns::Table kConnectionColumns =
    core::columns::table("connection", core::connection::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON connection, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_connection_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.connection_rules");
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kConnectionColumns, actor);
    pg::Probes lookup;
    core::connection::Outcome outcome;
    core::connection::Row row;
    switch (fired.event) {
        case pg::RowEvent::kInsert:
            row = pg::read_connection(pg::RowValues(fired.trigger, fired.new_row()));
            outcome = core::connection::on_insert(actor, row, lookup);
            break;
        case pg::RowEvent::kUpdate: {
            // An UPDATE of the name or the description leaves the data's bytes as they were.
            pg::RowValues old_values(fired.trigger, fired.old_row());
            pg::RowValues values(fired.trigger, fired.new_row());
            bool read_data = !values.same(old_values, "type") || !values.same(old_values, "data");
            row = pg::read_connection(values, read_data);
            outcome = core::connection::on_update(actor, pg::read_connection(old_values, read_data),
                                                  row, lookup);
            break;
        }
        case pg::RowEvent::kDelete:
            core::connection::on_delete(
                actor, pg::read_connection(pg::RowValues(fired.trigger, fired.old_row())), lookup);
            return fired.proceed();
    }
    if (outcome.refit_credentials) {
        pg::refit_credentials(row, *outcome.data);
    }
    // Data sent as it is normalized (the usual INSERT) is already stored so: no jsonb is built.
    if (outcome.data && outcome.data != row.data) {
        return PointerGetDatum(
            pg::with_jsonb(fired.trigger, fired.new_row(), "data", *outcome.data));
    }
    return fired.proceed();
}
