// The transfer API (DESIGN §8): create_transfer, update_transfer, delete_transfer and
// copy_transfer, C++ over SPI as the calling role. They are conveniences: the rules trigger of
// transfer (and of connection, for copies) decides every write, for direct DML alike; these add
// SyncMaster's order of errors where no row would reach a trigger, and the bounds of their text
// arguments before a varchar column could refuse them raw.
#include "core/connection.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/permissions.hpp"
#include "core/transfer.hpp"

#include <optional>
#include <string>

#include "pg/api.hpp"
#include "pg/connection.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/search.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"

namespace syncmaster::pg {

namespace {

namespace perm = core::permissions;

// Runs a kept plan whose arguments are the function's own (argument i → $i+1, NULLs kept), as
// the caller; returns the first column of the first row (an int8), or nullopt for no row.
std::optional<int64> run_with_args(SPIPlanPtr *slot, const char *sql, FunctionCallInfo fcinfo,
                                   int nargs, const Oid *types) {
    FirstInt8 r = as_caller([slot, sql, fcinfo, nargs, types]() {
        Datum values[16];
        char nulls[16];
        for (int i = 0; i < nargs; ++i) {
            values[i] = PG_ARGISNULL(i) ? Datum(0) : PG_GETARG_DATUM(i);
            nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
        }
        SPIPlanPtr plan = kept_plan(slot, sql, nargs, const_cast<Oid *>(types));
        return execute_first_int8(plan, values, nulls);
    });
    if (!r.found) {
        return std::nullopt;
    }
    return r.value;
}

[[noreturn]] void transfer_not_found() {
    throw core::Error(core::sqlstate::kNotFound, "Transfer not found");
}

SPIPlanPtr create_plan = nullptr;
SPIPlanPtr update_plan = nullptr;
SPIPlanPtr delete_plan = nullptr;
SPIPlanPtr read_plan = nullptr;
SPIPlanPtr copy_transfer_plan = nullptr;
SPIPlanPtr remove_plan = nullptr;

constexpr Oid kWriteTypes[13] = {INT8OID,  TEXTOID,  INT8OID,  INT8OID, INT8OID, JSONBOID, JSONBOID,
                                 JSONBOID, JSONBOID, JSONBOID, BOOLOID, TEXTOID, TEXTOID};

// name (1), schedule (11) and description (12) of create/update_transfer, checked as the columns
// would, with messages naming the field.
void check_write_args(FunctionCallInfo fcinfo) {
    check(core::transfer::kName, text_param(fcinfo, 1));
    core::transfer::check_schedule_length(text_param(fcinfo, 11));
    check(core::transfer::kDescription, text_param(fcinfo, 12));
}

// The facts copy_transfer needs of the transfer and of its connections, as the caller sees them.
struct Original {
    bool found;
    int64 group_id;
    int64 source_id;
    int64 target_id;
    bool source_visible;
    bool target_visible;
    const char *name;
    const char *source_name;
    const char *target_name;
};

Original read_original(int64 transfer_id) {
    return as_caller([transfer_id]() {
        Oid types[1] = {INT8OID};
        SPIPlanPtr plan =
            kept_plan(&read_plan,
                      "SELECT t.group_id, t.source_connection_id, t.target_connection_id, t.name, "
                      "       s.name, d.name "
                      "FROM syncmaster.transfer t "
                      "LEFT JOIN syncmaster.connection s ON s.id OPERATOR(pg_catalog.=) "
                      "t.source_connection_id "
                      "LEFT JOIN syncmaster.connection d ON d.id OPERATOR(pg_catalog.=) "
                      "t.target_connection_id "
                      "WHERE t.id OPERATOR(pg_catalog.=) $1",
                      1, types);
        Datum values[1] = {Int64GetDatum(transfer_id)};
        if (SPI_execute_plan(plan, values, nullptr, true, 1) != SPI_OK_SELECT) {
            elog(ERROR, "reading transfer " INT64_FORMAT " failed", transfer_id);
        }
        Original o{};
        if (SPI_processed == 0) {
            return o;
        }
        HeapTuple row = SPI_tuptable->vals[0];
        TupleDesc desc = SPI_tuptable->tupdesc;
        bool isnull;
        o.found = true;
        o.group_id = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
        o.source_id = DatumGetInt64(SPI_getbinval(row, desc, 2, &isnull));
        o.target_id = DatumGetInt64(SPI_getbinval(row, desc, 3, &isnull));
        auto copy = [&](int column, bool *present) -> const char * {
            char *v = SPI_getvalue(row, desc, column);
            *present = v != nullptr;
            if (v == nullptr) {
                return nullptr;
            }
            char *out = static_cast<char *>(SPI_palloc(strlen(v) + 1));
            strcpy(out, v);
            return out;
        };
        bool present;
        o.name = copy(4, &present);
        o.source_name = copy(5, &o.source_visible);
        o.target_name = copy(6, &o.target_visible);
        return o;
    });
}

// Copies a connection into a group under a name, without credentials; returns the copy's id.
}  // namespace

}  // namespace syncmaster::pg

using namespace syncmaster;

// create_transfer(group_id, name, source_connection_id, target_connection_id, queue_id,
// source_params, target_params, strategy_params, transformations, resources, is_scheduled,
// schedule, description) → bigint. NULL strategy_params, transformations and resources are
// SyncMaster's defaults (the rules trigger fills them in).
SYNCMASTER_FUNCTION(syncmaster_create_transfer) {
    pg::check_write_args(fcinfo);
    std::optional<int64> id = pg::run_with_args(
        &pg::create_plan,
        "INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, "
        "target_connection_id, queue_id, source_params, target_params, strategy_params, "
        "transformations, resources, is_scheduled, schedule, description) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, COALESCE($11, false), $12, "
        "COALESCE($13, '')) RETURNING id",
        fcinfo, 13, pg::kWriteTypes);
    PG_RETURN_INT64(*id);
}

// update_transfer(transfer_id, name, source_connection_id, target_connection_id, queue_id,
// source_params, target_params, strategy_params, transformations, resources, is_scheduled,
// schedule, description): every field replaced, as SyncMaster's PUT; the group stays.
SYNCMASTER_FUNCTION(syncmaster_update_transfer) {
    pg::check_write_args(fcinfo);
    std::optional<int64> id = pg::run_with_args(
        &pg::update_plan,
        "UPDATE syncmaster.transfer t SET name = $2, source_connection_id = $3, "
        "target_connection_id = $4, queue_id = $5, source_params = $6, target_params = $7, "
        "strategy_params = $8, transformations = $9, resources = $10, "
        "is_scheduled = COALESCE($11, false), schedule = $12, "
        "description = COALESCE($13, '') "
        "WHERE t.id OPERATOR(pg_catalog.=) $1 RETURNING t.id",
        fcinfo, 13, pg::kWriteTypes);
    if (!id) {
        pg::transfer_not_found();
    }
    PG_RETURN_VOID();
}

// delete_transfer(transfer_id): its runs go with it, its connections stay.
SYNCMASTER_FUNCTION(syncmaster_delete_transfer) {
    pg::require_argument(fcinfo, 0, "transfer_id");
    const Oid types[1] = {INT8OID};
    std::optional<int64> id = pg::run_with_args(
        &pg::delete_plan,
        "DELETE FROM syncmaster.transfer t WHERE t.id OPERATOR(pg_catalog.=) $1 RETURNING t.id",
        fcinfo, 1, types);
    if (!id) {
        pg::transfer_not_found();
    }
    PG_RETURN_VOID();
}

// copy_transfer(transfer_id, new_group_id, new_queue_id, new_name, new_source_connection_name,
// new_target_connection_name, remove_source) → bigint: copies the transfer into another group,
// with copies of its connections (one copy when source and target are the same connection; no
// credentials), fresh timestamps and its own schedule; remove_source deletes the original (its
// connections stay). SyncMaster's order of checks.
SYNCMASTER_FUNCTION(syncmaster_copy_transfer) {
    struct Args {
        bool null_id, null_group, null_queue;
        int64 transfer_id, new_group_id, new_queue_id;
        bool remove_source;
    };
    Args a = pg::pg_call([fcinfo]() {
        Args out{};
        out.null_id = PG_ARGISNULL(0);
        out.null_group = PG_ARGISNULL(1);
        out.null_queue = PG_ARGISNULL(2);
        out.transfer_id = out.null_id ? 0 : PG_GETARG_INT64(0);
        out.new_group_id = out.null_group ? 0 : PG_GETARG_INT64(1);
        out.new_queue_id = out.null_queue ? 0 : PG_GETARG_INT64(2);
        out.remove_source = !PG_ARGISNULL(6) && PG_GETARG_BOOL(6);
        return out;
    });
    std::optional<std::string> new_name = pg::text_param(fcinfo, 3);
    std::optional<std::string> new_source_name = pg::text_param(fcinfo, 4);
    std::optional<std::string> new_target_name = pg::text_param(fcinfo, 5);
    core::identity::Actor actor = pg::current_actor().actor;
    pg::Original original = a.null_id ? pg::Original{} : pg::read_original(a.transfer_id);
    if (!original.found) {
        pg::transfer_not_found();
    }
    namespace perm = core::permissions;
    if (a.remove_source) {
        perm::authorize(actor, perm::Entity::kTransfer, perm::Action::kDelete,
                        pg::standing_in_group(actor, original.group_id));
    }
    perm::authorize(actor, perm::Entity::kTransfer, perm::Action::kCreate,
                    a.null_group ? perm::Standing{} : pg::standing_in_group(actor, a.new_group_id));
    if (!original.source_visible || !original.target_visible) {
        throw core::Error(core::sqlstate::kNotFound, "Connection not found");
    }
    if (a.null_queue) {
        throw core::Error(core::sqlstate::kNotFound, "Queue not found");
    }
    if (new_name) {
        pg::check(core::transfer::kName, new_name);
    }
    if (new_source_name) {
        pg::check(core::connection::kName, new_source_name);
    }
    if (new_target_name) {
        pg::check(core::connection::kName, new_target_name);
    }
    int64 source_copy = pg::copy_connection(original.source_id, a.new_group_id,
                                            new_source_name.value_or(original.source_name));
    int64 target_copy = original.target_id == original.source_id
                            ? source_copy
                            : pg::copy_connection(original.target_id, a.new_group_id,
                                                  new_target_name.value_or(original.target_name));
    std::string name = new_name.value_or(original.name);
    const char *n = name.c_str();
    int64 id = pg::as_caller([&a, n, source_copy, target_copy]() {
        Oid types[6] = {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, TEXTOID};
        SPIPlanPtr plan = pg::kept_plan(
            &pg::copy_transfer_plan,
            "INSERT INTO syncmaster.transfer (group_id, name, description, source_connection_id, "
            "target_connection_id, queue_id, source_params, target_params, strategy_params, "
            "transformations, resources, is_scheduled, schedule) "
            "SELECT $2, $6, t.description, $4, $5, $3, t.source_params, t.target_params, "
            "t.strategy_params, t.transformations, t.resources, t.is_scheduled, t.schedule "
            "FROM syncmaster.transfer t WHERE t.id OPERATOR(pg_catalog.=) $1 RETURNING id",
            6, types);
        Datum values[6] = {Int64GetDatum(a.transfer_id),  Int64GetDatum(a.new_group_id),
                           Int64GetDatum(a.new_queue_id), Int64GetDatum(source_copy),
                           Int64GetDatum(target_copy),    CStringGetTextDatum(n)};
        if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_INSERT_RETURNING ||
            SPI_processed != 1) {
            elog(ERROR, "copying transfer " INT64_FORMAT " failed", a.transfer_id);
        }
        bool isnull;
        return DatumGetInt64(
            SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    });
    if (a.remove_source) {
        const Oid types[1] = {INT8OID};
        pg::as_caller([&a, &types]() {
            SPIPlanPtr plan = pg::kept_plan(
                &pg::remove_plan,
                "DELETE FROM syncmaster.transfer t WHERE t.id OPERATOR(pg_catalog.=) $1", 1,
                const_cast<Oid *>(types));
            Datum values[1] = {Int64GetDatum(a.transfer_id)};
            if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_DELETE) {
                elog(ERROR, "removing transfer " INT64_FORMAT " failed", a.transfer_id);
            }
            return 0;
        });
    }
    PG_RETURN_INT64(id);
}

namespace syncmaster::pg {
namespace {

// The function's search_path is pg_catalog, pg_temp. @@ is not leakproof: the group filter is
// spelled out.
Statement transfers_page(
    "SELECT t.id, t.name, t.description, t.source_connection_id, t.target_connection_id,"
    " t.queue_id, t.source_params, t.target_params, t.strategy_params, t.transformations,"
    " t.resources, t.is_scheduled, t.schedule, count(*) OVER () "
    "FROM syncmaster.transfer t"
    " JOIN syncmaster.connection s ON s.id = t.source_connection_id"
    " JOIN syncmaster.connection d ON d.id = t.target_connection_id "
    "WHERE t.group_id = $1"
    " AND ($2::varchar[] IS NULL OR s.type = ANY ($2))"
    " AND ($3::varchar[] IS NULL OR d.type = ANY ($3))"
    " AND ($4::bigint IS NULL OR t.source_connection_id = $4)"
    " AND ($5::bigint IS NULL OR t.target_connection_id = $5)"
    " AND ($6::bigint IS NULL OR t.queue_id = $6)"
    " AND ($7::boolean IS NULL OR t.is_scheduled = $7)"
    " AND ($8::tsquery IS NULL OR t.search_vector @@ $8) "
    "ORDER BY CASE WHEN $8::tsquery IS NULL THEN 0 ELSE ts_rank(t.search_vector, $8) END DESC,"
    " t.name LIMIT $9 OFFSET ($10 - 1) * $9");

}  // namespace
}  // namespace syncmaster::pg

// list_transfers(group_id, source_connection_types, target_connection_types,
// filter_source_connection_id, filter_target_connection_id, filter_queue_id, filter_is_scheduled,
// search, page, page_size): a group's transfers with SyncMaster's filters.
SYNCMASTER_FUNCTION(syncmaster_list_transfers) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(core::permissions::Entity::kGroup, core::permissions::Action::kRead, group_id);
    pg::Page page = pg::page_params(fcinfo, 8);
    pg::Arg query = pg::search_arg(pg::text_param(fcinfo, 7));
    pg::check_connection_types(fcinfo, 1);
    pg::check_connection_types(fcinfo, 2);
    return pg::transfers_page.return_rows(
        fcinfo, {pg::int8_arg(group_id), pg::function_arg(fcinfo, 1, VARCHARARRAYOID),
                 pg::function_arg(fcinfo, 2, VARCHARARRAYOID), pg::function_arg(fcinfo, 3, INT8OID),
                 pg::function_arg(fcinfo, 4, INT8OID), pg::function_arg(fcinfo, 5, INT8OID),
                 pg::function_arg(fcinfo, 6, BOOLOID), query, pg::int8_arg(page.size),
                 pg::int8_arg(page.number)});
}
