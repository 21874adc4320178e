// "user" rows: the trigger that reads them, asks core::user, and makes every backend forget its
// cached identities when one changes.
#include "core/user.hpp"

#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

core::user::Row read_user(const TriggerData *trigger, HeapTuple tuple) {
    return core::user::Row{
        int8_column(trigger, tuple, "id"), text_column(trigger, tuple, "username"),
        bool_column(trigger, tuple, "is_superuser"), bool_column(trigger, tuple, "is_active")};
}

}  // namespace

// The column rights of user (core/columns.hpp).
constexpr core::columns::Table kUserColumns = core::columns::table("user", core::user::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON "user", FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_user_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.user_rules");
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kUserColumns, actor);
    pg::Probes lookup;
    pg::forget_lookups(fired.trigger);
    switch (fired.event) {
        case pg::RowEvent::kInsert:
            core::user::on_insert(actor, pg::read_user(fired.trigger, fired.new_row()), lookup);
            break;
        case pg::RowEvent::kUpdate:
            core::user::on_update(actor, pg::read_user(fired.trigger, fired.old_row()),
                                  pg::read_user(fired.trigger, fired.new_row()), lookup);
            break;
        case pg::RowEvent::kDelete:
            core::user::on_delete(actor, pg::read_user(fired.trigger, fired.old_row()), lookup);
            break;
    }
    return fired.proceed();
}
