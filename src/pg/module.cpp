// The library's entry: the module magic block and _PG_init.
#include "pg/guc.hpp"
#include "pg/pg.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);

void _PG_init(void) {
    syncmaster::pg::guc::define_settings();
}
}
