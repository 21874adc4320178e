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

}  // namespace syncmaster::pg
