#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

TriggerData *before_row_trigger(FunctionCallInfo fcinfo, const char *function_name) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s must be called as a trigger", function_name)));
    }
    auto *trigger = reinterpret_cast<TriggerData *>(fcinfo->context);
    if (!TRIGGER_FIRED_BEFORE(trigger->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigger->tg_event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s must be fired BEFORE, FOR EACH ROW", function_name)));
    }
    return trigger;
}

RowEvent row_event(const TriggerData *trigger) {
    if (TRIGGER_FIRED_BY_INSERT(trigger->tg_event)) {
        return RowEvent::kInsert;
    }
    if (TRIGGER_FIRED_BY_UPDATE(trigger->tg_event)) {
        return RowEvent::kUpdate;
    }
    return RowEvent::kDelete;
}

AttrNumber trigger_column(const TriggerData *trigger, const char *name) {
    int attnum = SPI_fnumber(RelationGetDescr(trigger->tg_relation), name);
    if (attnum <= 0) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" of relation \"%s\" does not exist", name,
                               RelationGetRelationName(trigger->tg_relation))));
    }
    return static_cast<AttrNumber>(attnum);
}

}  // namespace syncmaster::pg
