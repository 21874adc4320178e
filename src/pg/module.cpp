// The library's entry: the module magic block, _PG_init, and the hook that removes the pg_cron
// jobs of scheduled transfers when the extension goes.
#include "pg/guc.hpp"
#include "pg/module.hpp"
#include "pg/pg.hpp"

namespace {

bool preloaded = false;
ProcessUtility_hook_type previous_process_utility = nullptr;

// Whether a DROP statement drops the extension: DROP EXTENSION pg_syncmaster, or DROP SCHEMA
// syncmaster ... CASCADE.
bool drops_extension(Node *statement) {
    if (!IsA(statement, DropStmt)) {
        return false;
    }
    auto *drop = reinterpret_cast<DropStmt *>(statement);
    if (drop->removeType != OBJECT_EXTENSION && drop->removeType != OBJECT_SCHEMA) {
        return false;
    }
    ListCell *cell;
    foreach (cell, drop->objects) {
        Node *object = static_cast<Node *>(lfirst(cell));
        if (IsA(object, String)) {
            const char *name = strVal(object);
            if ((drop->removeType == OBJECT_EXTENSION && strcmp(name, "pg_syncmaster") == 0) ||
                (drop->removeType == OBJECT_SCHEMA && strcmp(name, "syncmaster") == 0)) {
                return true;
            }
        }
    }
    return false;
}

// Before the extension goes, its pg_cron jobs go (the scheduled transfers' and the reaper's) (in
// the same transaction: a DROP that fails keeps them). Without this, pg_cron would run a function
// that no longer exists every time a job fires.
void remove_transfer_jobs() {
    if (!OidIsValid(get_extension_oid("pg_syncmaster", true)) ||
        !OidIsValid(get_extension_oid("pg_cron", true))) {
        return;
    }
    if (SPI_connect() != SPI_OK_CONNECT) {
        elog(ERROR, "SPI_connect failed");
    }
    SPI_execute(
        "SELECT cron.unschedule(j.jobid) FROM cron.job j "
        "WHERE j.jobname OPERATOR(pg_catalog.~~) 'syncmaster\\_%' "
        "AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database()",
        false, 0);
    SPI_finish();
}

void process_utility(PlannedStmt *pstmt, const char *query_string, bool read_only_tree,
                     ProcessUtilityContext context, ParamListInfo params,
                     QueryEnvironment *query_env, DestReceiver *dest, QueryCompletion *qc) {
    if (drops_extension(pstmt->utilityStmt)) {
        remove_transfer_jobs();
    }
    if (previous_process_utility != nullptr) {
        previous_process_utility(pstmt, query_string, read_only_tree, context, params, query_env,
                                 dest, qc);
    } else {
        standard_ProcessUtility(pstmt, query_string, read_only_tree, context, params, query_env,
                                dest, qc);
    }
}

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
    preloaded = process_shared_preload_libraries_in_progress;
    previous_process_utility = ProcessUtility_hook;
    ProcessUtility_hook = process_utility;
}
}

bool syncmaster::pg::loaded_at_server_start() {
    return preloaded;
}
