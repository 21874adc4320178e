// Helpers for C++ trigger functions: what fired them, the columns of the rows they see, and the
// row they hand back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/pg.hpp"

namespace syncmaster::pg {

enum class RowEvent { kInsert, kUpdate, kDelete };

RowEvent row_event(const TriggerData *trigger);

// Column `name` of the trigger's relation as a number; ERROR when there is none.
// PostgreSQL-regime.
AttrNumber trigger_column(const TriggerData *trigger, const char *name);

// What fired a BEFORE ROW trigger function: the trigger and its event (C++ regime).
struct Fired {
    TriggerData *trigger;
    RowEvent event;

    // The row as it was (UPDATE, DELETE) or as it is to be inserted (INSERT).
    HeapTuple old_row() const { return trigger->tg_trigtuple; }
    // The row as it is to be written (INSERT, UPDATE): as sent, or as the table's column rights
    // stamped it (pg/columns.hpp).
    HeapTuple new_row() const {
        if (stamped != nullptr) {
            return stamped;
        }
        return event == RowEvent::kUpdate ? trigger->tg_newtuple : trigger->tg_trigtuple;
    }
    HeapTuple stamped = nullptr;
    // What the trigger hands back when it lets the statement go on unchanged.
    Datum proceed() const {
        return PointerGetDatum(event == RowEvent::kDelete ? trigger->tg_trigtuple : new_row());
    }
};
Fired fired_before_row(FunctionCallInfo fcinfo, const char *function_name);
// The same of an AFTER ROW trigger call; ERROR when the function was called any other way. Its
// result is ignored: return PointerGetDatum(nullptr).
Fired fired_after_row(FunctionCallInfo fcinfo, const char *function_name);

// UPDATE: whether the statement's SET list names column `name` (TriggerData's tg_updatedcols).
// C++ regime.
bool column_updated(const TriggerData *trigger, const char *name);

// UPDATE: whether attribute `attnum` holds the same stored bytes in the old and the new row.
// Compares the datums as stored, so an unchanged TOASTed value (which keeps its TOAST pointer)
// is neither fetched nor decompressed; false means "maybe changed". PostgreSQL-regime.
bool attribute_unchanged(const TriggerData *trigger, int attnum);

// A jsonb column's value, fetched from TOAST and decompressed as needed, counted so that the
// self-test can prove an UPDATE of an unrelated column reads none. PostgreSQL-regime.
Jsonb *read_jsonb(Datum value);
std::int64_t jsonb_values_read();
// How many jsonb values this backend's triggers wrote into rows (built with jsonb_in).
std::int64_t jsonb_values_written();
// A column's Datum, as plain data that may cross pg_call().
struct ColumnValue {
    bool isnull;
    Datum datum;
};
// A column's value as C++ data (C++ regime); as_jsonb_text counts as a jsonb read.
std::optional<std::int64_t> as_int8(ColumnValue v);
std::optional<std::string> as_text(ColumnValue v);
bool as_bool(ColumnValue v);
std::optional<std::string> as_jsonb_text(ColumnValue v);

// A trigger tuple's columns, deformed once: a trigger that reads a dozen columns walks the tuple
// once, not once per column that follows a variable-length one. The arrays live in the current
// memory context (the trigger's); the tuple must outlive the object. C++ regime.
class RowValues {
public:
    RowValues(const TriggerData *trigger, HeapTuple tuple);
    ColumnValue operator[](const char *name) const;
    // Whether column `name` holds the same stored bytes here and in `other` (as
    // attribute_unchanged: an unchanged TOASTed value is not fetched).
    bool same(const RowValues &other, const char *name) const;
    // Whether column `name` (a timestamptz) holds now(), the transaction's start.
    bool is_now(const char *name) const;

private:
    const TriggerData *trigger_;
    Datum *values_ = nullptr;
    bool *nulls_ = nullptr;
};

// Columns to replace in a trigger's row, written with one heap_modify_tuple (C++ regime).
class RowChanges {
public:
    explicit RowChanges(const TriggerData *trigger) : trigger_(trigger) {}
    RowChanges &set_text(const char *name, const std::string &value);
    RowChanges &set_jsonb(const char *name, const std::string &json);  // the jsonb of JSON text
    RowChanges &set_int8(const char *name, std::int64_t value);
    RowChanges &set_null(const char *name);
    RowChanges &set_value(const char *name, ColumnValue value);  // a datum of this relation's row
    RowChanges &set_now(const char *name);  // now(): the transaction's start, as DEFAULT now()
    RowChanges &set_timestamptz(const char *name, std::int64_t value);  // a TimestampTz
    // The tuple with the changes; `tuple` itself when there are none.
    HeapTuple apply(HeapTuple tuple) const;

private:
    RowChanges &set(const char *name, Datum value, bool isnull = false);
    const TriggerData *trigger_;
    std::vector<int> columns_;
    std::vector<Datum> values_;
    std::vector<char> nulls_;  // bool, but std::vector<bool> has no data()
};

// The tuple with one column replaced by text or by the jsonb of JSON text.
HeapTuple with_text(const TriggerData *trigger, HeapTuple tuple, const char *name,
                    const std::string &value);
HeapTuple with_jsonb(const TriggerData *trigger, HeapTuple tuple, const char *name,
                     const std::string &json);
HeapTuple with_int8(const TriggerData *trigger, HeapTuple tuple, const char *name,
                    std::int64_t value);

}  // namespace syncmaster::pg
