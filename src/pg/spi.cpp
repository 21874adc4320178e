#include "pg/spi.hpp"

namespace syncmaster::pg {

SPIPlanPtr kept_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types) {
    if (*slot == nullptr) {
        SPIPlanPtr plan = SPI_prepare(sql, nargs, types);
        if (plan == nullptr) {
            elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
                 SPI_result_code_string(SPI_result));
        }
        SPI_keepplan(plan);
        *slot = plan;
    }
    return *slot;
}

FirstInt8 execute_first_int8(SPIPlanPtr plan, Datum *values, const char *nulls) {
    int rc = SPI_execute_plan(plan, values, nulls, false, 0);
    if (rc < 0) {
        elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
    }
    FirstInt8 out{false, 0};
    if (SPI_processed > 0 && SPI_tuptable != nullptr) {
        bool isnull;
        Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
        out.found = !isnull;
        out.value = isnull ? 0 : DatumGetInt64(d);
    }
    return out;
}

Datum int8_array(const std::int64_t *values, int count) {
    Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * (count > 0 ? count : 1)));
    for (int i = 0; i < count; ++i) {
        elems[i] = Int64GetDatum(values[i]);
    }
    return PointerGetDatum(
        construct_array(elems, count, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

namespace {
SPIPlanPtr key_share_plans[3] = {nullptr, nullptr, nullptr};
constexpr const char *kKeyShareSql[3] = {
    "SELECT 1 FROM syncmaster.\"user\" WHERE id OPERATOR(pg_catalog.=) ANY ($1) FOR KEY SHARE",
    "SELECT 1 FROM syncmaster.connection WHERE id OPERATOR(pg_catalog.=) ANY ($1) FOR KEY SHARE",
    "SELECT 1 FROM syncmaster.queue WHERE id OPERATOR(pg_catalog.=) ANY ($1) FOR KEY SHARE",
};
}  // namespace

void lock_referenced(Referenced table, const std::int64_t *ids, int count) {
    int which = static_cast<int>(table);
    as_table_owner([which, ids, count]() {
        Oid types[1] = {INT8ARRAYOID};
        SPIPlanPtr plan = kept_plan(&key_share_plans[which], kKeyShareSql[which], 1, types);
        Datum values[1] = {int8_array(ids, count)};
        if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_SELECT) {
            elog(ERROR, "locking referenced rows failed");
        }
        return 0;
    });
}

}  // namespace syncmaster::pg
