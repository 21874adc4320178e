// The library's entry: the module magic block and _PG_init.
#include "pg/guc.hpp"
#include "pg/pg.hpp"

namespace {

// Whether a credentials key is configured: syncmaster.encryption_key or
// syncmaster.encryption_key_file, read before this library defined them (placeholders).
bool key_configured() {
    static const char *const kKeySettings[] = {"syncmaster.encryption_key",
                                               "syncmaster.encryption_key_file"};
    for (const char *name : kKeySettings) {
        const char *value = GetConfigOption(name, true, false);
        if (value != nullptr && value[0] != '\0') {
            return true;
        }
    }
    return false;
}

}  // namespace

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);

// Until this library defines syncmaster.encryption_key, a value in postgresql.conf is a plain
// placeholder setting that every role may SHOW, in every database of the cluster. Only a library
// loaded by shared_preload_libraries defines it before the first statement of every session, so a
// configured key requires that, and any later load refuses (as pg_cron does) with the remedy.
// The check comes first: a refused load defines nothing, and the next attempt asks again.
void _PG_init(void) {
    if (!process_shared_preload_libraries_in_progress && key_configured()) {
        ereport(ERROR,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("pg_syncmaster must be in shared_preload_libraries when a credentials key "
                        "is configured"),
                 errdetail("Until the library is preloaded, syncmaster.encryption_key and "
                           "syncmaster.encryption_key_file are placeholder settings that any role "
                           "can read with SHOW."),
                 errhint("Add pg_syncmaster to shared_preload_libraries in postgresql.conf and "
                         "restart the server.")));
    }
    syncmaster::pg::guc::define_settings();
}
}
