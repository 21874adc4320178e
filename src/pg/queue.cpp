// queue rows: the rules trigger, which also writes the slug of a new queue.
#include "core/queue.hpp"

#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

core::queue::Row read_queue(const TriggerData *trigger, HeapTuple tuple) {
    return core::queue::Row{
        int8_column(trigger, tuple, "id"), int8_column(trigger, tuple, "group_id"),
        text_column(trigger, tuple, "name"), text_column(trigger, tuple, "slug")};
}

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
        case pg::RowEvent::kDelete:
            core::queue::on_delete(actor, pg::read_queue(fired.trigger, fired.old_row()), lookup);
            break;
    }
    return fired.proceed();
}
