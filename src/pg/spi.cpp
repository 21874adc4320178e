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

}  // namespace syncmaster::pg
