// Row triggers: updated_at, and the rules on "user" rows.
#include "core/error.hpp"
#include "core/permissions.hpp"

#include <string>

#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {
namespace {

// The columns of a "user" row the rules read, as plain data that may cross pg_call().
struct UserColumns {
    int64 id;
    const char *username;
    bool is_superuser;
    bool is_active;
};

UserColumns read_user_columns(const TriggerData *trigger, HeapTuple tuple) {
    return pg_call([trigger, tuple]() {
        TupleDesc desc = RelationGetDescr(trigger->tg_relation);
        bool isnull;
        UserColumns c;
        c.id = DatumGetInt64(heap_getattr(tuple, trigger_column(trigger, "id"), desc, &isnull));
        Datum username = heap_getattr(tuple, trigger_column(trigger, "username"), desc, &isnull);
        c.username = isnull ? "" : TextDatumGetCString(username);
        c.is_superuser = DatumGetBool(
            heap_getattr(tuple, trigger_column(trigger, "is_superuser"), desc, &isnull));
        c.is_active =
            DatumGetBool(heap_getattr(tuple, trigger_column(trigger, "is_active"), desc, &isnull));
        return c;
    });
}

core::permissions::UserRow to_user_row(const UserColumns &c) {
    return core::permissions::UserRow{c.id, c.username, c.is_superuser, c.is_active};
}

// 23505 when another user already has this username. A concurrent insert of the same name that
// is not yet visible is still caught, by the unique index ix__user__username.
void check_username_free(const std::string &username, int64 own_id) {
    auto taken = find_user_by_username(username);
    if (taken && taken->id != own_id) {
        throw core::Error(core::sqlstate::kDuplicate, "Username is already taken");
    }
}

}  // namespace
}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE UPDATE on every table with updated_at: sets it to now(), the transaction's start time.
SYNCMASTER_FUNCTION(syncmaster_touch_updated_at) {
    return pg::pg_call([fcinfo]() {
        TriggerData *trigger = pg::before_row_trigger(fcinfo, "syncmaster.touch_updated_at");
        if (!TRIGGER_FIRED_BY_UPDATE(trigger->tg_event)) {
            ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                            errmsg("syncmaster.touch_updated_at must be fired by UPDATE")));
        }
        int column = pg::trigger_column(trigger, "updated_at");
        Datum now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
        bool isnull = false;
        HeapTuple updated =
            heap_modify_tuple_by_cols(trigger->tg_newtuple, RelationGetDescr(trigger->tg_relation),
                                      1, &column, &now, &isnull);
        return PointerGetDatum(updated);
    });
}

// BEFORE INSERT/UPDATE/DELETE on "user": who may create, change and delete users, and unique
// usernames with SyncMaster's message.
SYNCMASTER_FUNCTION(syncmaster_user_guard) {
    TriggerData *trigger =
        pg::pg_call([fcinfo]() { return pg::before_row_trigger(fcinfo, "syncmaster.user_guard"); });
    core::identity::Actor actor = pg::current_actor().actor;
    switch (pg::row_event(trigger)) {
        case pg::RowEvent::kInsert: {
            core::permissions::check_user_insert(actor);
            auto row = pg::to_user_row(pg::read_user_columns(trigger, trigger->tg_trigtuple));
            pg::check_username_free(row.username, row.id);
            return PointerGetDatum(trigger->tg_trigtuple);
        }
        case pg::RowEvent::kUpdate: {
            auto old_row = pg::to_user_row(pg::read_user_columns(trigger, trigger->tg_trigtuple));
            auto new_row = pg::to_user_row(pg::read_user_columns(trigger, trigger->tg_newtuple));
            core::permissions::check_user_update(actor, old_row, new_row);
            if (new_row.username != old_row.username) {
                pg::check_username_free(new_row.username, new_row.id);
            }
            return PointerGetDatum(trigger->tg_newtuple);
        }
        case pg::RowEvent::kDelete:
            core::permissions::check_user_delete(actor);
            return PointerGetDatum(trigger->tg_trigtuple);
    }
    return PointerGetDatum(nullptr);
}
