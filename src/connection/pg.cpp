// connection rows: the rules trigger, which writes back the normalized data and, when the type
// changes, re-seals the stored credentials for the new type (or refuses the change).
#include "connection/rules.hpp"
#include "core/json.hpp"

#include "connection/pg.hpp"

#include "core/error.hpp"

#include "pg/api.hpp"
#include "pg/columns.hpp"
#include "connection/pg_credentials.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/search.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"
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

Statement owner_reads_token(
    "SELECT value FROM syncmaster.auth_data WHERE connection_id OPERATOR(pg_catalog.=) $1");
Statement owner_writes_token(
    "UPDATE syncmaster.auth_data SET value = $2 WHERE connection_id OPERATOR(pg_catalog.=) $1");

// Credentials a connection keeps across a change of type must fit the new type: re-sealed when
// they do, the change refused when they do not, unless the fit may wait for the commit (the
// system's change: core::connection::Outcome::fit_may_wait). (update_connection() with new
// credentials removes the old ones first.)
void refit_credentials(const core::connection::Row &row, const std::string &data, bool may_wait) {
    // auth_data is its owner's only.
    Result token = owner_reads_token.run(As::kTableOwner, {int8_arg(row.id)});
    if (token.empty()) {
        return;
    }
    core::connection_types::Json credentials =
        core::connection_types::Json::parse(open_credentials(*token.text(0, 0)));
    core::connection_types::Json refit;
    try {
        refit = core::connection::refit_credentials(
            *row.type, core::connection_types::Json::parse(data), credentials);
    } catch (const core::Error &) {
        if (may_wait) {
            return;  // the credentials_fit trigger checks at commit
        }
        throw;
    }
    owner_writes_token.run(As::kTableOwner, {int8_arg(row.id), text_arg(seal_credentials(refit))});
}

// The system's delete of a connection takes the transfers using it along
// (core::in_use::Dependents).
Statement delete_connection_transfers(
    "DELETE FROM syncmaster.transfer WHERE source_connection_id OPERATOR(pg_catalog.=) $1"
    " OR target_connection_id OPERATOR(pg_catalog.=) $1");

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
        case pg::RowEvent::kDelete: {
            core::connection::Row old_row =
                pg::read_connection(pg::RowValues(fired.trigger, fired.old_row()));
            if (core::connection::on_delete(actor, old_row, lookup) ==
                core::in_use::Dependents::kRemove) {
                pg::delete_connection_transfers.run(pg::As::kTableOwner,
                                                    {pg::int8_arg(old_row.id)});
            }
            return fired.proceed();
        }
    }
    if (outcome.refit_credentials) {
        pg::refit_credentials(row, *outcome.data, outcome.fit_may_wait);
    }
    // Data sent as it is normalized (the usual INSERT) is already stored so: no jsonb is built.
    if (outcome.data && outcome.data != row.data) {
        return PointerGetDatum(
            pg::with_jsonb(fired.trigger, fired.new_row(), "data", *outcome.data));
    }
    return fired.proceed();
}

// --- The connections API: conveniences over the tables, whose rules triggers decide every write.
// create_connection, update_connection, connection_auth and connection_credentials are SECURITY
// DEFINER, the one way to auth_data for users: their statements run as the tables' owner, and the
// rules triggers still judge the acting user (identity reads the outer role). ---

namespace syncmaster::pg {

namespace {

namespace perm = core::permissions;

// The API refuses the delete of a connection in use to everyone, the system included (only the
// system's direct DELETE takes its transfers along).
void require_unused_connection(int64 id) {
    require_writable("DELETE");
    Probes lookup;
    core::in_use::check_connection_deletable(lookup.transfers_using_connection(id));
}

Statement connection_group(
    "SELECT c.group_id FROM syncmaster.connection c WHERE c.id OPERATOR(pg_catalog.=) $1");
Statement insert_connection(
    "INSERT INTO syncmaster.connection (group_id, name, type, data, description) "
    "VALUES ($1, $2, $3, $4, COALESCE($5, '')) RETURNING id, data");
Statement update_connection(
    "UPDATE syncmaster.connection c SET name = $2, type = $3, data = $4,"
    " description = COALESCE($5, '') WHERE c.id OPERATOR(pg_catalog.=) $1 RETURNING c.data");
Statement delete_connection(
    "DELETE FROM syncmaster.connection c WHERE c.id OPERATOR(pg_catalog.=) $1");
Statement copy_connection_row(
    "INSERT INTO syncmaster.connection (group_id, type, name, description, data) "
    "SELECT $2, c.type, COALESCE($3, c.name), c.description, c.data FROM syncmaster.connection c "
    "WHERE c.id OPERATOR(pg_catalog.=) $1 RETURNING id");
Statement read_token(
    "SELECT a.value FROM syncmaster.auth_data a WHERE a.connection_id OPERATOR(pg_catalog.=) $1");
Statement insert_token("INSERT INTO syncmaster.auth_data (connection_id, value) VALUES ($1, $2)");
Statement delete_token(
    "DELETE FROM syncmaster.auth_data a WHERE a.connection_id OPERATOR(pg_catalog.=) $1");
Statement record_access(
    "INSERT INTO syncmaster.credential_access (connection_id, session_role, current_role_name) "
    "VALUES ($1, SESSION_USER,"
    " NULLIF(pg_catalog.current_setting('role'), 'none'))");

std::optional<std::int64_t> group_of_connection(std::optional<std::int64_t> connection_id) {
    return connection_id ? group_of(connection_group, *connection_id) : std::nullopt;
}

std::optional<std::string> token_of(std::int64_t connection_id) {
    Result r = read_token.run(As::kCaller, {int8_arg(connection_id)});
    return r.empty() ? std::nullopt : r.text(0, 0);
}

// The text arguments name (i), type (i + 1) and description (i + 4) of create/update_connection.
void check_connection_args(FunctionCallInfo fcinfo, int i) {
    check(core::connection::kName, text_param(fcinfo, i));
    check(core::connection::kType, text_param(fcinfo, i + 1));
    check(core::connection::kDescription, text_param(fcinfo, i + 4));
}

std::string sealed(FunctionCallInfo fcinfo, int auth_arg, const std::string &type,
                   const std::optional<std::string> &stored_data,
                   const std::optional<std::string> &previous_token) {
    return seal_for_connection(type,
                               core::json::parse(stored_data.value_or("null"), "connection data"),
                               json_param(fcinfo, auth_arg, "auth_data"), previous_token);
}

}  // namespace

std::int64_t copy_connection(std::int64_t connection_id, std::int64_t group_id,
                             const std::optional<std::string> &name) {
    return *copy_connection_row.first_int8(
        As::kCaller, {int8_arg(connection_id), int8_arg(group_id), text_arg(name)});
}

}  // namespace syncmaster::pg

// create_connection(group_id, name, type, data, auth_data, description) → bigint: the connection
// and its sealed credentials (Developer or above).
SYNCMASTER_FUNCTION(syncmaster_create_connection) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kConnection, pg::perm::Action::kCreate, group_id);
    pg::check_connection_args(fcinfo, 1);
    std::optional<std::string> type = pg::text_param(fcinfo, 2);
    pg::Result row = pg::insert_connection.run(
        pg::As::kCaller,
        {pg::int8_arg(group_id), pg::text_arg(pg::text_param(fcinfo, 1)), pg::text_arg(type),
         pg::function_arg(fcinfo, 3, JSONBOID), pg::text_arg(pg::text_param(fcinfo, 5))});
    int64 id = *row.int8(0, 0);
    std::string token = pg::sealed(fcinfo, 4, *type, row.text(0, 1), std::nullopt);
    pg::insert_token.run(pg::As::kCaller, {pg::int8_arg(id), pg::text_arg(token)});
    PG_RETURN_INT64(id);
}

// update_connection(connection_id, name, type, data, auth_data, description): new credentials
// replace the old ones (secrets left out are kept when the auth type stays); without, the rules
// trigger re-seals the kept ones for a new type (Developer or above).
SYNCMASTER_FUNCTION(syncmaster_update_connection) {
    std::optional<int64> id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kConnection, pg::perm::Action::kUpdate,
                  pg::group_of_connection(id));
    pg::check_connection_args(fcinfo, 1);
    std::optional<std::string> type = pg::text_param(fcinfo, 2);
    bool new_credentials = pg::pg_call([fcinfo]() { return !PG_ARGISNULL(4); });
    std::optional<std::string> previous = pg::token_of(*id);
    if (new_credentials) {
        // The old ones go first: the rules trigger re-seals for a new type only the credentials a
        // connection keeps.
        pg::delete_token.run(pg::As::kCaller, {pg::int8_arg(id)});
    }
    pg::Result row = pg::update_connection.run(
        pg::As::kCaller,
        {pg::int8_arg(id), pg::text_arg(pg::text_param(fcinfo, 1)), pg::text_arg(type),
         pg::function_arg(fcinfo, 3, JSONBOID), pg::text_arg(pg::text_param(fcinfo, 5))});
    if (new_credentials) {
        std::string token = pg::sealed(fcinfo, 4, *type, row.text(0, 0), previous);
        pg::insert_token.run(pg::As::kCaller, {pg::int8_arg(id), pg::text_arg(token)});
    }
    PG_RETURN_VOID();
}

// delete_connection(connection_id): a connection no transfer uses (Maintainer or above).
SYNCMASTER_FUNCTION(syncmaster_delete_connection) {
    std::optional<int64> id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kConnection, pg::perm::Action::kDelete,
                  pg::group_of_connection(id));
    pg::require_unused_connection(*id);
    pg::delete_connection.run(pg::As::kCaller, {pg::int8_arg(id)});
    PG_RETURN_VOID();
}

// copy_connection(connection_id, new_group_id, new_name, remove_source) → bigint: a copy without
// credentials; remove_source moves it (a connection in use cannot move).
SYNCMASTER_FUNCTION(syncmaster_copy_connection) {
    std::optional<int64> id = pg::int8_param(fcinfo, 0);
    std::optional<int64> group_id = pg::group_of_connection(id);
    bool remove_source = pg::pg_call([fcinfo]() { return !PG_ARGISNULL(3) && PG_GETARG_BOOL(3); });
    pg::authorize(pg::perm::Entity::kConnection, pg::perm::Action::kRead, group_id);
    if (remove_source) {
        pg::authorize(pg::perm::Entity::kConnection, pg::perm::Action::kDelete, group_id);
    }
    std::optional<int64> new_group_id = pg::int8_param(fcinfo, 1);
    pg::authorize(pg::perm::Entity::kConnection, pg::perm::Action::kCreate, new_group_id);
    std::optional<std::string> new_name = pg::text_param(fcinfo, 2);
    if (new_name) {
        pg::check(core::connection::kName, new_name);
    }
    if (remove_source) {
        pg::require_unused_connection(*id);
    }
    int64 copy = pg::copy_connection(*id, *new_group_id, new_name);
    if (remove_source) {
        pg::delete_connection.run(pg::As::kCaller, {pg::int8_arg(id)});
    }
    PG_RETURN_INT64(copy);
}

// connection_auth(connection_id) → jsonb: the credentials without their secrets, NULL when there
// are none; for anyone who reads the connection.
SYNCMASTER_FUNCTION(syncmaster_connection_auth) {
    std::optional<int64> id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kConnection, pg::perm::Action::kRead,
                  pg::group_of_connection(id));
    std::optional<std::string> token = pg::token_of(*id);
    if (!token) {
        PG_RETURN_NULL();
    }
    std::string json = pg::public_credentials(*token);
    const char *c = json.c_str();
    return pg::pg_call([c]() { return DirectFunctionCall1(jsonb_in, CStringGetDatum(c)); });
}

// connection_credentials(connection_id) → jsonb: the credentials with their secrets, for the
// system alone; each read is recorded in credential_access and in the server log.
SYNCMASTER_FUNCTION(syncmaster_connection_credentials) {
    core::connection::authorize_credentials(pg::current_actor().actor, "reads credentials");
    std::optional<int64> id = pg::int8_param(fcinfo, 0);
    if (!pg::group_of_connection(id)) {
        throw core::Error(core::sqlstate::kNotFound, "Connection not found");
    }
    std::optional<std::string> token = pg::token_of(*id);
    if (!token) {
        core::connection::credentials_not_set(*id);
    }
    pg::record_access.run(pg::As::kCaller, {pg::int8_arg(id)});
    std::string json = pg::full_credentials(*id, *token);
    const char *c = json.c_str();
    return pg::pg_call([c]() { return DirectFunctionCall1(jsonb_in, CStringGetDatum(c)); });
}

namespace syncmaster::pg {
namespace {

// The function's search_path is pg_catalog, pg_temp. Without a search, the page comes in name
// order from ix__connection__group_id_name and the total is counted apart: a count(*) OVER ()
// would read and sort every row of the group to return 20. @@ is not leakproof: the group filter
// is spelled out.
Statement connections_page(
    "SELECT c.id, c.name, c.description, c.type, c.data,"
    " (SELECT count(*) FROM syncmaster.connection n"
    "  WHERE n.group_id = $1 AND ($2::varchar[] IS NULL OR n.type = ANY ($2))) "
    "FROM syncmaster.connection c WHERE c.group_id = $1 AND ($2::varchar[] IS NULL OR c.type = ANY "
    "($2)) "
    "ORDER BY c.name LIMIT $3 OFFSET ($4 - 1) * $3");
// With a search, every match of the group is ranked and counted (SyncMaster's page), found through
// the GIN index or by testing the group's rows, as search_connections chooses (below); as the
// tables' owner, the caller having been authorized to read the group.
#define SYNCMASTER_CONNECTIONS_FOUND(where)                                 \
    "SELECT c.id, c.name, c.description, c.type, c.data, count(*) OVER () " \
    "FROM syncmaster.connection c WHERE " where                             \
    " AND ($2::varchar[] IS NULL OR c.type = ANY ($2)) "                    \
    "ORDER BY ts_rank(c.search_vector, $5) DESC, c.name LIMIT $3 OFFSET ($4 - 1) * $3"
Statement connections_found_by_index(
    SYNCMASTER_CONNECTIONS_FOUND("c.search_vector @@ $5 AND (c.group_id = $1) IS TRUE"));
Statement connections_found_by_group(
    SYNCMASTER_CONNECTIONS_FOUND("c.group_id = $1 AND (c.search_vector @@ $5) IS TRUE"));
#undef SYNCMASTER_CONNECTIONS_FOUND

// search_connections: the first kSearchCandidates matches in the actor's groups, ranked among
// themselves (a bounded set: ranking every match of a common word over a million rows costs what
// ts_rank costs a row, times the matches). For an actor who sees every group, the planner's plan
// (the GIN index, or a scan that stops at the candidates). For a member, the function chooses: the
// GIN index when it reads fewer entries (pg::gin_entries: every row holding one of the query's
// words, matching or not) than three times the rows of the actor's groups (an entry costs about a
// third of testing a row, measured at a million connections), else the groups' rows, each tested;
// the other path is kept off with IS TRUE, which no index serves. The planner's own choice
// misjudges both ways: it prices a prefix (SyncMaster's queries are all prefixes) at a fixed share
// of the table, and the GIN scan at the matches rather than at the entries it reads. A member's
// statements run as the tables' owner with the groups spelled out: they are the connection policy's
// own (visible_group_ids), and under row-level security its indexable group condition would let the
// planner take the group path anyway.
constexpr std::int64_t kSearchCandidates = 1000;
constexpr double kEntriesPerRowTest = 3;
Statement group_rows("SELECT 1 FROM syncmaster.connection c WHERE c.group_id = ANY ($1)");

// Whether a search of `query` (a tsquery) over the connections of `groups` (a bigint[]) reads
// fewer GIN entries than the groups hold rows, weighed as above. Counted for the test probes.
bool search_by_index(Datum query, const Arg &groups) {
    double entries = pg_call([query]() {
        Oid connection = schema_relation("connection");
        return gin_entries(connection, column(connection, "search_vector"), query);
    });
    double rows = group_rows.estimated_rows(As::kTableOwner, {groups});
    bool by_index = entries <= rows * kEntriesPerRowTest;
    searches_by_index += by_index ? 1 : 0;
    return by_index;
}
#define SYNCMASTER_FOUND(where)                                                                   \
    "WITH found AS MATERIALIZED (SELECT c.id, c.group_id, c.name, c.description, c.type, c.data," \
    " ts_rank(c.search_vector, $1) AS rank FROM syncmaster.connection c WHERE " where             \
    " LIMIT $4) "                                                                                 \
    "SELECT f.id, f.group_id, f.name, f.description, f.type, f.data,"                             \
    " (SELECT count(*) FROM found) FROM found f "                                                 \
    "ORDER BY f.rank DESC, f.name, f.id LIMIT $2 OFFSET ($3 - 1) * $2"
Statement found_anywhere(SYNCMASTER_FOUND("c.search_vector @@ $1"));
Statement found_by_index(
    SYNCMASTER_FOUND("c.search_vector @@ $1 AND (c.group_id = ANY ($5)) IS TRUE"));
Statement found_by_group(
    SYNCMASTER_FOUND("c.group_id = ANY ($5) AND (c.search_vector @@ $1) IS TRUE"));
#undef SYNCMASTER_FOUND

}  // namespace

void check_connection_types(FunctionCallInfo fcinfo, int i) {
    if (auto types = text_array_param(fcinfo, i)) {
        for (const std::optional<std::string> &type : *types) {
            check(core::connection::kType, type);
        }
    }
}

}  // namespace syncmaster::pg

// list_connections(group_id, types, search, page, page_size) → (id, name, description, type, data,
// total): a group's connections, not their credentials.
SYNCMASTER_FUNCTION(syncmaster_list_connections) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kGroup, pg::perm::Action::kRead, group_id);
    pg::Page page = pg::page_params(fcinfo, 3);
    pg::Arg query = pg::search_arg(pg::text_param(fcinfo, 2));
    pg::check_connection_types(fcinfo, 1);
    std::vector<pg::Arg> args = {pg::int8_arg(group_id),
                                 pg::function_arg(fcinfo, 1, VARCHARARRAYOID),
                                 pg::int8_arg(page.size), pg::int8_arg(page.number)};
    if (query.isnull) {
        return pg::connections_page.return_rows(fcinfo, args);
    }
    args.push_back(query);
    pg::Statement &found = pg::search_by_index(query.datum, pg::int8_array_arg({*group_id}))
                               ? pg::connections_found_by_index
                               : pg::connections_found_by_group;
    return found.return_rows(fcinfo, args, pg::As::kTableOwner);
}

// search_connections(search, page, page_size) → (id, group_id, name, description, type, data,
// total): the connections of every group the actor reads that match the search, best first among
// the first 1 000 matches found; total counts those (at most 1 000).
SYNCMASTER_FUNCTION(syncmaster_search_connections) {
    core::identity::Actor actor = pg::current_actor().actor;  // 28000/42501 first
    pg::Page page = pg::page_params(fcinfo, 1);
    std::optional<std::string> search = pg::text_param(fcinfo, 0);
    pg::check(core::fields::kSearchTerms, search);
    std::vector<pg::Arg> args = {pg::search_arg(search), pg::int8_arg(page.size),
                                 pg::int8_arg(page.number), pg::int8_arg(pg::kSearchCandidates)};
    if (actor.is_superuser) {
        return pg::found_anywhere.return_rows(fcinfo, args, pg::As::kTableOwner);
    }
    pg::Arg group_ids = pg::int8_array_arg(pg::visible_group_ids(actor));
    args.push_back(group_ids);
    pg::Statement &found =
        pg::search_by_index(args[0].datum, group_ids) ? pg::found_by_index : pg::found_by_group;
    return found.return_rows(fcinfo, args, pg::As::kTableOwner);
}
