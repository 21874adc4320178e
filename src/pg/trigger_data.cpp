#include "core/error.hpp"

#include "pg/trigger_data.hpp"

#include "pg/entry.hpp"

#include <memory>

namespace syncmaster::pg {

namespace {

// The TriggerData of a ROW trigger call fired BEFORE (or AFTER); ERROR when the function was
// called any other way. PostgreSQL-regime.
TriggerData *row_trigger(FunctionCallInfo fcinfo, const char *function_name, bool before) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s must be called as a trigger", function_name)));
    }
    auto *trigger = reinterpret_cast<TriggerData *>(fcinfo->context);
    bool when =
        before ? TRIGGER_FIRED_BEFORE(trigger->tg_event) : TRIGGER_FIRED_AFTER(trigger->tg_event);
    if (!when || !TRIGGER_FIRED_FOR_ROW(trigger->tg_event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s must be fired %s, FOR EACH ROW", function_name,
                               before ? "BEFORE" : "AFTER")));
    }
    return trigger;
}

}  // namespace

RowEvent row_event(const TriggerData *trigger) {
    if (TRIGGER_FIRED_BY_INSERT(trigger->tg_event)) {
        return RowEvent::kInsert;
    }
    if (TRIGGER_FIRED_BY_UPDATE(trigger->tg_event)) {
        return RowEvent::kUpdate;
    }
    return RowEvent::kDelete;
}

namespace {

// Column numbers by relation and name. The rules triggers read their columns by name, a dozen per
// row, and searching the tuple descriptor for each compares the name with every attribute. A
// direct-mapped table keyed by the relation and the address of the name (the callers pass string
// constants), which the name's text confirms, so a reused buffer cannot be mistaken for another
// name; a collision replaces the entry. Any relcache invalidation of a relation (ALTER TABLE, DROP
// TABLE, a reused OID) forgets its entries, in this transaction too.
struct CachedColumn {
    Oid relid;
    AttrNumber attnum;
    const char *key;
    char name[NAMEDATALEN];
};
constexpr std::uintptr_t kColumnCacheSize = 256;  // a power of two
CachedColumn column_cache[kColumnCacheSize];
bool column_cache_registered = false;

void forget_columns(Datum, Oid relid) {
    for (CachedColumn &c : column_cache) {
        if (relid == InvalidOid || c.relid == relid) {
            c.relid = InvalidOid;
        }
    }
}

CachedColumn &column_slot(Oid relid, const char *name) {
    std::uintptr_t h = (reinterpret_cast<std::uintptr_t>(name) >> 3) ^ (relid * 0x9E3779B1u);
    return column_cache[(h ^ (h >> 8)) & (kColumnCacheSize - 1)];
}

// The column number of `name` when the cache knows it, else 0 (C++ regime: no error to raise).
AttrNumber known_column(const TriggerData *trigger, const char *name) {
    Oid relid = RelationGetRelid(trigger->tg_relation);
    const CachedColumn &slot = column_slot(relid, name);
    return slot.relid == relid && slot.key == name && strcmp(slot.name, name) == 0 ? slot.attnum
                                                                                   : 0;
}

}  // namespace

AttrNumber trigger_column(const TriggerData *trigger, const char *name) {
    if (AttrNumber cached = known_column(trigger, name)) {
        return cached;
    }
    Oid relid = RelationGetRelid(trigger->tg_relation);
    CachedColumn &slot = column_slot(relid, name);
    int attnum = SPI_fnumber(RelationGetDescr(trigger->tg_relation), name);
    if (attnum <= 0) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" of relation \"%s\" does not exist", name,
                               RelationGetRelationName(trigger->tg_relation))));
    }
    if (!column_cache_registered) {
        CacheRegisterRelcacheCallback(forget_columns, (Datum)0);
        column_cache_registered = true;
    }
    if (strlen(name) < NAMEDATALEN) {
        slot.relid = relid;
        slot.attnum = static_cast<AttrNumber>(attnum);
        slot.key = name;
        strlcpy(slot.name, name, NAMEDATALEN);
    }
    return static_cast<AttrNumber>(attnum);
}

Fired fired_before_row(FunctionCallInfo fcinfo, const char *function_name) {
    TriggerData *trigger =
        pg_call([fcinfo, function_name]() { return row_trigger(fcinfo, function_name, true); });
    return Fired{trigger, row_event(trigger)};
}

Fired fired_after_row(FunctionCallInfo fcinfo, const char *function_name) {
    TriggerData *trigger =
        pg_call([fcinfo, function_name]() { return row_trigger(fcinfo, function_name, false); });
    return Fired{trigger, row_event(trigger)};
}

namespace {
std::int64_t jsonb_reads = 0;
std::int64_t jsonb_writes = 0;
}  // namespace

Jsonb *read_jsonb(Datum value) {
    ++jsonb_reads;
    return DatumGetJsonbP(value);
}

std::int64_t jsonb_values_read() {
    return jsonb_reads;
}

std::int64_t jsonb_values_written() {
    return jsonb_writes;
}

bool attribute_unchanged(const TriggerData *trigger, int attnum) {
    TupleDesc desc = RelationGetDescr(trigger->tg_relation);
    Form_pg_attribute attr = TupleDescAttr(desc, attnum - 1);
    bool old_null, new_null;
    Datum old_value = heap_getattr(trigger->tg_trigtuple, attnum, desc, &old_null);
    Datum new_value = heap_getattr(trigger->tg_newtuple, attnum, desc, &new_null);
    return old_null == new_null &&
           (old_null || datumIsEqual(old_value, new_value, attr->attbyval, attr->attlen));
}

namespace {

AttrNumber column_number(const TriggerData *trigger, const char *name) {
    AttrNumber attnum = known_column(trigger, name);
    return attnum != 0 ? attnum
                       : pg_call([trigger, name]() { return trigger_column(trigger, name); });
}

}  // namespace

std::optional<std::int64_t> as_int8(ColumnValue v) {
    if (v.isnull) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(DatumGetInt64(v.datum));
}

std::optional<std::string> as_text(ColumnValue v) {
    if (v.isnull) {
        return std::nullopt;
    }
    Datum d = v.datum;
    // Detoasted only when stored out of line or compressed; copied once, into the string.
    const text *t = pg_call([d]() { return DatumGetTextPP(d); });
    return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

bool as_bool(ColumnValue v) {
    return !v.isnull && DatumGetBool(v.datum);
}

std::optional<std::string> as_jsonb_text(ColumnValue v) {
    if (v.isnull) {
        return std::nullopt;
    }
    Datum d = v.datum;
    return std::string(pg_call([d]() -> const char * {
        Jsonb *jb = read_jsonb(d);
        return JsonbToCString(nullptr, &jb->root, VARSIZE(jb));
    }));
}

RowValues::RowValues(const TriggerData *trigger, HeapTuple tuple) : trigger_(trigger) {
    Datum **values = &values_;
    bool **nulls = &nulls_;
    pg_call([values, nulls, trigger, tuple]() {
        TupleDesc desc = RelationGetDescr(trigger->tg_relation);
        *values = static_cast<Datum *>(palloc(desc->natts * sizeof(Datum)));
        *nulls = static_cast<bool *>(palloc(desc->natts * sizeof(bool)));
        heap_deform_tuple(tuple, desc, *values, *nulls);
    });
}

ColumnValue RowValues::operator[](const char *name) const {
    AttrNumber attnum = column_number(trigger_, name);
    return ColumnValue{nulls_[attnum - 1], values_[attnum - 1]};
}

bool RowValues::same(const RowValues &other, const char *name) const {
    AttrNumber attnum = column_number(trigger_, name);
    bool isnull = nulls_[attnum - 1];
    if (isnull != other.nulls_[attnum - 1]) {
        return false;
    }
    if (isnull) {
        return true;
    }
    // datumIsEqual compares the stored bytes (an unchanged TOASTed value keeps its TOAST pointer,
    // which is compared, not fetched): it cannot raise, so no guard.
    Form_pg_attribute attr = TupleDescAttr(RelationGetDescr(trigger_->tg_relation), attnum - 1);
    return datumIsEqual(values_[attnum - 1], other.values_[attnum - 1], attr->attbyval,
                        attr->attlen);
}

// Neither reads nor calls anything that can raise (a positive member, a field of the transaction
// state): no guard.
bool RowValues::is_now(const char *name) const {
    AttrNumber attnum = column_number(trigger_, name);
    return !nulls_[attnum - 1] &&
           DatumGetTimestampTz(values_[attnum - 1]) == GetCurrentTransactionStartTimestamp();
}

bool column_updated(const TriggerData *trigger, const char *name) {
    AttrNumber attnum = column_number(trigger, name);
    return bms_is_member(attnum - FirstLowInvalidHeapAttributeNumber, trigger->tg_updatedcols);
}

RowChanges &RowChanges::set(const char *name, Datum value, bool isnull) {
    columns_.push_back(column_number(trigger_, name));
    values_.push_back(value);
    nulls_.push_back(isnull);
    return *this;
}

RowChanges &RowChanges::set_null(const char *name) {
    return set(name, Datum(0), true);
}

RowChanges &RowChanges::set_value(const char *name, ColumnValue value) {
    return set(name, value.datum, value.isnull);
}

RowChanges &RowChanges::set_now(const char *name) {
    return set(
        name, pg_call([]() { return TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()); }));
}

RowChanges &RowChanges::set_text(const char *name, const std::string &value) {
    const char *c = value.c_str();
    return set(name, pg_call([c]() { return CStringGetTextDatum(c); }));
}

RowChanges &RowChanges::set_jsonb(const char *name, const std::string &json) {
    ++jsonb_writes;
    const char *c = json.c_str();
    return set(name, pg_call([c]() { return DirectFunctionCall1(jsonb_in, CStringGetDatum(c)); }));
}

RowChanges &RowChanges::set_timestamptz(const char *name, std::int64_t value) {
    return set(name, TimestampTzGetDatum(value));
}

RowChanges &RowChanges::set_int8(const char *name, std::int64_t value) {
    return set(name, Int64GetDatum(value));
}

HeapTuple RowChanges::apply(HeapTuple tuple) const {
    if (columns_.empty()) {
        return tuple;
    }
    std::unique_ptr<bool[]> isnull(new bool[columns_.size()]());
    for (std::size_t i = 0; i < nulls_.size(); ++i) {
        isnull[i] = nulls_[i] != 0;
    }
    const TriggerData *trigger = trigger_;
    int count = static_cast<int>(columns_.size());
    const int *columns = columns_.data();
    const Datum *values = values_.data();
    bool *nulls = isnull.get();
    return pg_call([trigger, tuple, count, columns, values, nulls]() {
        return heap_modify_tuple_by_cols(tuple, RelationGetDescr(trigger->tg_relation), count,
                                         const_cast<int *>(columns), const_cast<Datum *>(values),
                                         nulls);
    });
}

HeapTuple with_text(const TriggerData *trigger, HeapTuple tuple, const char *name,
                    const std::string &value) {
    return RowChanges(trigger).set_text(name, value).apply(tuple);
}

HeapTuple with_jsonb(const TriggerData *trigger, HeapTuple tuple, const char *name,
                     const std::string &json) {
    return RowChanges(trigger).set_jsonb(name, json).apply(tuple);
}

HeapTuple with_int8(const TriggerData *trigger, HeapTuple tuple, const char *name,
                    std::int64_t value) {
    return RowChanges(trigger).set_int8(name, value).apply(tuple);
}

}  // namespace syncmaster::pg
