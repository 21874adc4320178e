// The transfer API: create_transfer, update_transfer, delete_transfer and
// copy_transfer, C++ over SPI as the calling role. They are conveniences: the rules trigger of
// transfer (and of connection, for copies) decides every write, for direct DML alike; these add
// SyncMaster's order of errors where no row would reach a trigger, and the bounds of their text
// arguments before a varchar column could refuse them raw.
#include "connection/rules.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/permissions.hpp"
#include "transfer/rules.hpp"

#include <optional>
#include <string>

#include "pg/api.hpp"
#include "connection/pg.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/search.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"

namespace syncmaster::pg {

namespace {

namespace perm = core::permissions;

// The function's own arguments 0 .. n-1 as a statement's $1 .. $n, NULLs kept.
std::vector<Arg> function_args(FunctionCallInfo fcinfo, const Oid *types, int n) {
    std::vector<Arg> args;
    for (int i = 0; i < n; ++i) {
        args.push_back(function_arg(fcinfo, i, types[i]));
    }
    return args;
}

[[noreturn]] void transfer_not_found() {
    throw core::Error(core::sqlstate::kNotFound, "Transfer not found");
}

Statement insert_transfer(
    "INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, "
    "target_connection_id, queue_id, source_params, target_params, strategy_params, "
    "transformations, resources, is_scheduled, schedule, description) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, COALESCE($11, false), $12, "
    "COALESCE($13, '')) RETURNING id");
Statement update_transfer(
    "UPDATE syncmaster.transfer t SET name = $2, source_connection_id = $3, "
    "target_connection_id = $4, queue_id = $5, source_params = $6, target_params = $7, "
    "strategy_params = $8, transformations = $9, resources = $10, "
    "is_scheduled = COALESCE($11, false), schedule = $12, description = COALESCE($13, '') "
    "WHERE t.id OPERATOR(pg_catalog.=) $1 RETURNING t.id");
Statement delete_transfer(
    "DELETE FROM syncmaster.transfer t WHERE t.id OPERATOR(pg_catalog.=) $1 RETURNING t.id");
// The facts copy_transfer needs of the transfer and of its connections, as the caller sees them.
Statement read_original(
    "SELECT t.group_id, t.source_connection_id, t.target_connection_id, t.name, s.name, d.name "
    "FROM syncmaster.transfer t"
    " LEFT JOIN syncmaster.connection s ON s.id OPERATOR(pg_catalog.=) t.source_connection_id"
    " LEFT JOIN syncmaster.connection d ON d.id OPERATOR(pg_catalog.=) t.target_connection_id "
    "WHERE t.id OPERATOR(pg_catalog.=) $1");
Statement copy_transfer_row(
    "INSERT INTO syncmaster.transfer (group_id, name, description, source_connection_id, "
    "target_connection_id, queue_id, source_params, target_params, strategy_params, "
    "transformations, resources, is_scheduled, schedule) "
    "SELECT $2, $6, t.description, $4, $5, $3, t.source_params, t.target_params, "
    "t.strategy_params, t.transformations, t.resources, t.is_scheduled, t.schedule "
    "FROM syncmaster.transfer t WHERE t.id OPERATOR(pg_catalog.=) $1 RETURNING id");

constexpr Oid kWriteTypes[13] = {INT8OID,  TEXTOID,  INT8OID,  INT8OID, INT8OID, JSONBOID, JSONBOID,
                                 JSONBOID, JSONBOID, JSONBOID, BOOLOID, TEXTOID, TEXTOID};

// name (1), schedule (11) and description (12) of create/update_transfer, checked as the columns
// would, with messages naming the field.
void check_write_args(FunctionCallInfo fcinfo) {
    check(core::transfer::kName, text_param(fcinfo, 1));
    core::transfer::check_schedule_length(text_param(fcinfo, 11));
    check(core::transfer::kDescription, text_param(fcinfo, 12));
}

}  // namespace

}  // namespace syncmaster::pg

using namespace syncmaster;

// create_transfer(group_id, name, source_connection_id, target_connection_id, queue_id,
// source_params, target_params, strategy_params, transformations, resources, is_scheduled,
// schedule, description) → bigint. NULL strategy_params, transformations and resources are
// SyncMaster's defaults (the rules trigger fills them in).
SYNCMASTER_FUNCTION(syncmaster_create_transfer) {
    pg::check_write_args(fcinfo);
    std::optional<int64> id = pg::insert_transfer.first_int8(
        pg::As::kCaller, pg::function_args(fcinfo, pg::kWriteTypes, 13));
    PG_RETURN_INT64(*id);
}

// update_transfer(transfer_id, name, source_connection_id, target_connection_id, queue_id,
// source_params, target_params, strategy_params, transformations, resources, is_scheduled,
// schedule, description): every field replaced, as SyncMaster's PUT; the group stays.
SYNCMASTER_FUNCTION(syncmaster_update_transfer) {
    pg::check_write_args(fcinfo);
    std::optional<int64> id = pg::update_transfer.first_int8(
        pg::As::kCaller, pg::function_args(fcinfo, pg::kWriteTypes, 13));
    if (!id) {
        pg::transfer_not_found();
    }
    PG_RETURN_VOID();
}

// delete_transfer(transfer_id): its runs go with it, its connections stay.
SYNCMASTER_FUNCTION(syncmaster_delete_transfer) {
    int64 transfer_id = pg::required_int8(fcinfo, 0, "transfer_id");
    std::optional<int64> id =
        pg::delete_transfer.first_int8(pg::As::kCaller, {pg::int8_arg(transfer_id)});
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
    std::optional<int64> transfer_id = pg::int8_param(fcinfo, 0);
    std::optional<int64> new_group_id = pg::int8_param(fcinfo, 1);
    std::optional<int64> new_queue_id = pg::int8_param(fcinfo, 2);
    bool remove_source = pg::pg_call([fcinfo]() { return !PG_ARGISNULL(6) && PG_GETARG_BOOL(6); });
    std::optional<std::string> new_name = pg::text_param(fcinfo, 3);
    std::optional<std::string> new_source_name = pg::text_param(fcinfo, 4);
    std::optional<std::string> new_target_name = pg::text_param(fcinfo, 5);
    // group, source, target, name, source's name, target's name: a connection the caller does not
    // see has no name.
    pg::Result original =
        transfer_id ? pg::read_original.run(pg::As::kCaller, {pg::int8_arg(transfer_id)}, 1)
                    : pg::Result{};
    if (original.empty()) {
        pg::transfer_not_found();
    }
    namespace perm = core::permissions;
    if (remove_source) {
        pg::authorize(perm::Entity::kTransfer, perm::Action::kDelete, original.int8(0, 0));
    }
    pg::authorize(perm::Entity::kTransfer, perm::Action::kCreate, new_group_id);
    if (!original.text(0, 4) || !original.text(0, 5)) {
        throw core::Error(core::sqlstate::kNotFound, "Connection not found");
    }
    if (!new_queue_id) {
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
    int64 source_id = *original.int8(0, 1);
    int64 target_id = *original.int8(0, 2);
    // A copy whose name the target group has already: SyncMaster's message, and the argument
    // that names the copy otherwise (the transfer's own name comes later, as new_name).
    auto copy = [&](int64 id, const std::optional<std::string> &name, const char *argument) {
        try {
            return pg::copy_connection(id, *new_group_id, name);
        } catch (const pg::PgError &e) {
            if (e.edata()->sqlerrcode != ERRCODE_UNIQUE_VIOLATION) {
                throw;
            }
            throw core::Error(core::connection::kUniqueName, core::sqlstate::kDuplicate,
                              e.edata()->message,
                              "The group " + std::to_string(*new_group_id) +
                                  " has a connection named \"" + name.value_or("") + "\" already.",
                              std::string("Name the copy with ") + argument + ".");
        }
    };
    int64 source_copy = copy(source_id, new_source_name ? new_source_name : original.text(0, 4),
                             "new_source_connection_name");
    int64 target_copy =
        target_id == source_id
            ? source_copy
            : copy(target_id, new_target_name ? new_target_name : original.text(0, 5),
                   "new_target_connection_name");
    std::optional<int64> id = pg::copy_transfer_row.first_int8(
        pg::As::kCaller,
        {pg::int8_arg(transfer_id), pg::int8_arg(new_group_id), pg::int8_arg(new_queue_id),
         pg::int8_arg(source_copy), pg::int8_arg(target_copy),
         pg::text_arg(new_name ? new_name : original.text(0, 3))});
    if (remove_source) {
        pg::delete_transfer.run(pg::As::kCaller, {pg::int8_arg(transfer_id)});
    }
    PG_RETURN_INT64(*id);
}

namespace syncmaster::pg {
namespace {

// The function's search_path is pg_catalog, pg_temp. Without a filter or a search, the page comes
// in name order from ix__transfer__group_id_name and the total is counted apart (an index-only
// count), as list_connections does; with them, every matching row is read, ranked and counted. @@
// is not leakproof: the group filter is spelled out.
Statement transfers_unfiltered(
    "SELECT t.id, t.name, t.description, t.source_connection_id, t.target_connection_id,"
    " t.queue_id, t.source_params, t.target_params, t.strategy_params, t.transformations,"
    " t.resources, t.is_scheduled, t.schedule,"
    " (SELECT count(*) FROM syncmaster.transfer n WHERE n.group_id = $1) "
    "FROM syncmaster.transfer t WHERE t.group_id = $1 "
    "ORDER BY t.name LIMIT $2 OFFSET ($3 - 1) * $2");
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
    bool unfiltered = query.isnull;
    for (int i = 1; i <= 6; ++i) {
        unfiltered = unfiltered && PG_ARGISNULL(i);
    }
    if (unfiltered) {
        return pg::transfers_unfiltered.return_rows(
            fcinfo, {pg::int8_arg(group_id), pg::int8_arg(page.size), pg::int8_arg(page.number)});
    }
    return pg::transfers_page.return_rows(
        fcinfo, {pg::int8_arg(group_id), pg::function_arg(fcinfo, 1, VARCHARARRAYOID),
                 pg::function_arg(fcinfo, 2, VARCHARARRAYOID), pg::function_arg(fcinfo, 3, INT8OID),
                 pg::function_arg(fcinfo, 4, INT8OID), pg::function_arg(fcinfo, 5, INT8OID),
                 pg::function_arg(fcinfo, 6, BOOLOID), query, pg::int8_arg(page.size),
                 pg::int8_arg(page.number)});
}
