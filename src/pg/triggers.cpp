// The updated_at trigger.
#include "pg/entry.hpp"
#include "pg/trigger_data.hpp"

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
