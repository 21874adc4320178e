// run rows: for now their rules are the permissions of core::resource, in the group of the run's
// transfer (the lifecycle comes with the runs issue).
#include "core/resource.hpp"

#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON run, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_run_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.run_rules");
    const TriggerData *trigger = fired.trigger;
    auto group_of = [trigger](HeapTuple tuple) {
        return pg::group_of_transfer(pg::int8_column(trigger, tuple, "transfer_id"));
    };
    core::identity::Actor actor = pg::current_actor().actor;
    pg::Probes lookup;
    constexpr auto kRun = core::permissions::Entity::kRun;
    switch (fired.event) {
        case pg::RowEvent::kInsert:
            core::resource::authorize_insert(actor, kRun, group_of(fired.new_row()), lookup);
            break;
        case pg::RowEvent::kUpdate:
            core::resource::authorize_update(actor, kRun, group_of(fired.old_row()),
                                             group_of(fired.new_row()), lookup);
            break;
        case pg::RowEvent::kDelete:
            core::resource::authorize_delete(actor, kRun, group_of(fired.old_row()), lookup);
            break;
    }
    return fired.proceed();
}
