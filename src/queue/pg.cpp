// queue rows: the rules trigger, which also writes the slug of a new queue.
#include "queue/rules.hpp"

#include "pg/api.hpp"
#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/standing.hpp"
#include "pg/search.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

core::queue::Row read_queue(const TriggerData *trigger, HeapTuple tuple) {
    RowValues values(trigger, tuple);
    return core::queue::Row{as_int8(values["id"]).value_or(0),
                            as_int8(values["group_id"]).value_or(0), as_text(values["name"]),
                            as_text(values["slug"])};
}

// The system's delete of a queue takes its transfers along (core::in_use::Dependents).
Statement delete_queue_transfers(
    "DELETE FROM syncmaster.transfer WHERE queue_id OPERATOR(pg_catalog.=) $1");

}  // namespace

// The column rights of queue (core/columns.hpp).
constexpr core::columns::Table kQueueColumns = core::columns::table("queue", core::queue::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON queue, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_queue_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.queue_rules");
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kQueueColumns, actor);
    pg::Probes lookup;
    switch (fired.event) {
        case pg::RowEvent::kInsert: {
            std::optional<std::string> slug = core::queue::on_insert(
                actor, pg::read_queue(fired.trigger, fired.new_row()), lookup);
            if (slug) {
                return PointerGetDatum(
                    pg::with_text(fired.trigger, fired.new_row(), "slug", *slug));
            }
            break;
        }
        case pg::RowEvent::kUpdate:
            core::queue::on_update(actor, pg::read_queue(fired.trigger, fired.old_row()),
                                   pg::read_queue(fired.trigger, fired.new_row()), lookup);
            break;
        case pg::RowEvent::kDelete: {
            core::queue::Row row = pg::read_queue(fired.trigger, fired.old_row());
            if (core::queue::on_delete(actor, row, lookup) == core::in_use::Dependents::kRemove) {
                pg::delete_queue_transfers.run(pg::As::kTableOwner, {pg::int8_arg(row.id)});
            }
            break;
        }
    }
    return fired.proceed();
}

// --- The queues API: conveniences over the table, whose rules trigger decides every write. ---

namespace syncmaster::pg {
namespace {

namespace perm = core::permissions;

Statement queue_group(
    "SELECT q.group_id FROM syncmaster.queue q WHERE q.id OPERATOR(pg_catalog.=) $1");
Statement insert_queue(
    "INSERT INTO syncmaster.queue (group_id, name, description) "
    "VALUES ($1, $2, COALESCE($3, '')) RETURNING id");
Statement update_queue(
    "UPDATE syncmaster.queue q SET name = $2, description = COALESCE($3, q.description) "
    "WHERE q.id OPERATOR(pg_catalog.=) $1");
Statement delete_queue("DELETE FROM syncmaster.queue q WHERE q.id OPERATOR(pg_catalog.=) $1");

// The API refuses the delete of a queue in use to everyone, the system included (only the system's
// direct DELETE takes its transfers along).
void require_unused_queue(int64 id) {
    require_writable("DELETE");
    Probes lookup;
    core::in_use::check_queue_deletable(lookup.transfers_using_queue(id));
}

// The group of a queue the caller sees; nullopt for a missing or invisible one.
std::optional<std::int64_t> group_of_queue(std::optional<std::int64_t> queue_id) {
    return queue_id ? group_of(queue_group, *queue_id) : std::nullopt;
}

}  // namespace
}  // namespace syncmaster::pg

// create_queue(group_id, name, description) → bigint: Maintainer or above; the rules trigger makes
// the slug.
SYNCMASTER_FUNCTION(syncmaster_create_queue) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kQueue, pg::perm::Action::kCreate, group_id);
    std::optional<std::string> name = pg::text_param(fcinfo, 1);
    std::optional<std::string> description = pg::text_param(fcinfo, 2);
    pg::check(core::queue::kName, name);
    pg::check(core::queue::kDescription, description);
    std::optional<int64> id = pg::insert_queue.first_int8(
        pg::As::kCaller, {pg::int8_arg(group_id), pg::text_arg(name), pg::text_arg(description)});
    PG_RETURN_INT64(*id);
}

// update_queue(queue_id, name, description): renames or describes (NULL keeps the description);
// the slug stays. Maintainer or above.
SYNCMASTER_FUNCTION(syncmaster_update_queue) {
    std::optional<int64> queue_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kQueue, pg::perm::Action::kUpdate,
                  pg::group_of_queue(queue_id));
    std::optional<std::string> name = pg::text_param(fcinfo, 1);
    std::optional<std::string> description = pg::text_param(fcinfo, 2);
    pg::check(core::queue::kName, name);
    pg::check(core::queue::kDescription, description);
    pg::update_queue.run(pg::As::kCaller,
                         {pg::int8_arg(queue_id), pg::text_arg(name), pg::text_arg(description)});
    PG_RETURN_VOID();
}

// delete_queue(queue_id): a queue no transfer uses; Maintainer or above.
SYNCMASTER_FUNCTION(syncmaster_delete_queue) {
    std::optional<int64> queue_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kQueue, pg::perm::Action::kDelete,
                  pg::group_of_queue(queue_id));
    pg::require_unused_queue(*queue_id);
    pg::delete_queue.run(pg::As::kCaller, {pg::int8_arg(queue_id)});
    PG_RETURN_VOID();
}

namespace syncmaster::pg {
namespace {

// The function's search_path is pg_catalog, pg_temp. By rank, then id, as SyncMaster.
Statement queues_page(
    "SELECT qu.id, qu.name, qu.slug, qu.description, count(*) OVER () FROM syncmaster.queue qu "
    "WHERE qu.group_id = $1 AND ($2::tsquery IS NULL OR qu.search_vector @@ $2) "
    "ORDER BY CASE WHEN $2::tsquery IS NULL THEN 0 ELSE ts_rank(qu.search_vector, $2) END DESC,"
    " qu.id LIMIT $3 OFFSET ($4 - 1) * $3");

}  // namespace
}  // namespace syncmaster::pg

// list_queues(group_id, search, page, page_size) → (id, name, slug, description, total).
SYNCMASTER_FUNCTION(syncmaster_list_queues) {
    std::optional<int64> group_id = pg::int8_param(fcinfo, 0);
    pg::authorize(pg::perm::Entity::kGroup, pg::perm::Action::kRead, group_id);
    pg::Page page = pg::page_params(fcinfo, 2);
    pg::Arg query = pg::search_arg(pg::text_param(fcinfo, 1));
    return pg::queues_page.return_rows(
        fcinfo,
        {pg::int8_arg(group_id), query, pg::int8_arg(page.size), pg::int8_arg(page.number)});
}
