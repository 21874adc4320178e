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

int64 spi_first_int8() {
    if (SPI_processed == 0) {
        return 0;
    }
    bool isnull;
    Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    return isnull ? 0 : DatumGetInt64(d);
}

}  // namespace syncmaster::pg
