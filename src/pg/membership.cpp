// user_group rows: the rules trigger. Memberships decide standings, so every write makes every
// backend forget its cached ones.
#include "core/membership.hpp"

#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

core::membership::Row read_membership(const TriggerData *trigger, HeapTuple tuple) {
    return core::membership::Row{int8_column(trigger, tuple, "user_id"),
                                 int8_column(trigger, tuple, "group_id"),
                                 text_column(trigger, tuple, "role")};
}

}  // namespace

// The column rights of user_group (core/columns.hpp).
constexpr core::columns::Table kMembershipColumns =
    core::columns::table("user_group", core::membership::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON user_group, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_membership_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.membership_rules");
    pg::forget_lookups(fired.trigger);
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kMembershipColumns, actor);
    pg::Probes lookup;
    switch (fired.event) {
        case pg::RowEvent::kInsert:
            core::membership::on_insert(actor, pg::read_membership(fired.trigger, fired.new_row()),
                                        lookup);
            break;
        case pg::RowEvent::kUpdate:
            core::membership::on_update(actor, pg::read_membership(fired.trigger, fired.old_row()),
                                        pg::read_membership(fired.trigger, fired.new_row()),
                                        lookup);
            break;
        case pg::RowEvent::kDelete:
            core::membership::on_delete(actor, pg::read_membership(fired.trigger, fired.old_row()),
                                        lookup);
            break;
    }
    return fired.proceed();
}
