// Helpers for C++ trigger functions: what fired them, and the columns they read.
#pragma once

#include "pg/pg.hpp"

namespace syncmaster::pg {

enum class RowEvent { kInsert, kUpdate, kDelete };

// The TriggerData of a BEFORE ROW trigger call; ERROR when the function was called any other way.
// PostgreSQL-regime: call inside pg_call().
TriggerData *before_row_trigger(FunctionCallInfo fcinfo, const char *function_name);

RowEvent row_event(const TriggerData *trigger);

// Column `name` of the trigger's relation as a number; ERROR when there is none.
// PostgreSQL-regime.
AttrNumber trigger_column(const TriggerData *trigger, const char *name);

}  // namespace syncmaster::pg
