// transfer and run rows: for now their rules are the permissions of core::resource (a run's group
// is its transfer's). A transfer that changes group or goes makes every backend forget its cached
// transfer groups.
#include "core/resource.hpp"

#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

using core::permissions::Entity;

// The permissions of a write to a row whose group `group_of` reads.
template <typename GroupOf>
void authorize_write(Entity entity, const Fired &fired, GroupOf group_of) {
    core::identity::Actor actor = current_actor().actor;
    Probes lookup;
    switch (fired.event) {
        case RowEvent::kInsert:
            core::resource::authorize_insert(actor, entity, group_of(fired.new_row()), lookup);
            break;
        case RowEvent::kUpdate:
            core::resource::authorize_update(actor, entity, group_of(fired.old_row()),
                                             group_of(fired.new_row()), lookup);
            break;
        case RowEvent::kDelete:
            core::resource::authorize_delete(actor, entity, group_of(fired.old_row()), lookup);
            break;
    }
}

}  // namespace

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON transfer, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_transfer_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.transfer_rules");
    const TriggerData *trigger = fired.trigger;
    if (fired.event == pg::RowEvent::kDelete ||
        (fired.event == pg::RowEvent::kUpdate &&
         pg::int8_column(trigger, fired.old_row(), "group_id") !=
             pg::int8_column(trigger, fired.new_row(), "group_id"))) {
        pg::forget_lookups(trigger);
    }
    pg::authorize_write(core::permissions::Entity::kTransfer, fired,
                        [trigger](HeapTuple tuple) -> std::optional<std::int64_t> {
                            return pg::int8_column(trigger, tuple, "group_id");
                        });
    return fired.proceed();
}

// BEFORE INSERT OR UPDATE OR DELETE ON run, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_run_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.run_rules");
    const TriggerData *trigger = fired.trigger;
    pg::authorize_write(core::permissions::Entity::kRun, fired, [trigger](HeapTuple tuple) {
        return pg::group_of_transfer(pg::int8_column(trigger, tuple, "transfer_id"));
    });
    return fired.proceed();
}
