// The library's entry: the module magic block, _PG_init, and the utility hook that removes the
// pg_cron jobs of scheduled transfers when the extension goes and refuses LOCK TABLE on the
// extension's tables.
#include "core/error.hpp"
#include "transfer/rules.hpp"

#include "extension/tables.hpp"

#include "pg/guc.hpp"
#include "pg/search.hpp"
#include "pg/pg.hpp"

namespace {

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

// core::transfer::is_extension_job in this PostgreSQL-regime file: no exception may leave it.
bool is_extension_job(const char *name, const char *command) noexcept {
    try {
        return syncmaster::core::transfer::is_extension_job(name, command);
    } catch (...) {
        return false;
    }
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
    // Only the extension's own jobs, whatever else is named alike.
    if (SPI_execute(psprintf("SELECT j.jobid, j.jobname::text, j.command FROM cron.job j "
                             "WHERE pg_catalog.starts_with(j.jobname, %s) "
                             "AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database()",
                             quote_literal_cstr(syncmaster::core::transfer::kJobPrefix)),
                    true, 0) != SPI_OK_SELECT) {
        elog(ERROR, "reading pg_cron's jobs failed");
    }
    SPITupleTable *jobs = SPI_tuptable;
    uint64 count = SPI_processed;
    for (uint64 i = 0; i < count; ++i) {
        char *name = SPI_getvalue(jobs->vals[i], jobs->tupdesc, 2);
        char *command = SPI_getvalue(jobs->vals[i], jobs->tupdesc, 3);
        if (name == nullptr || command == nullptr || !is_extension_job(name, command)) {
            continue;
        }
        Oid types[1] = {INT8OID};
        bool isnull;
        Datum values[1] = {SPI_getbinval(jobs->vals[i], jobs->tupdesc, 1, &isnull)};
        if (SPI_execute_with_args("SELECT cron.unschedule($1)", 1, types, values, nullptr, false,
                                  0) != SPI_OK_SELECT) {
            elog(ERROR, "removing a job of pg_syncmaster failed");
        }
    }
    SPI_finish();
}

// Whether a LOCK TABLE of `relid` would lock a table of the schema `schema`: the table itself, or
// one a view reads (LOCK TABLE on a view locks the tables below it, with the view owner's
// privileges, which a tenant's own view has).
struct ReachContext {
    Oid schema;
    Oid view;  // the view being read, whose rule names it again (OLD and NEW)
    int depth;
};

bool reaches_schema(Oid relid, ReachContext *context);

bool query_reaches_schema(Node *node, void *context_pointer);

// PostgreSQL's tree walkers take any walker as bool (*)(); through void (*)() the cast says so.
auto *const kReachWalker =
    reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(query_reaches_schema));

bool query_reaches_schema(Node *node, void *context_pointer) {
    auto *context = static_cast<ReachContext *>(context_pointer);
    if (node == nullptr) {
        return false;
    }
    if (IsA(node, Query)) {
        auto *query = reinterpret_cast<Query *>(node);
        ListCell *cell;
        foreach (cell, query->rtable) {
            auto *rte = static_cast<RangeTblEntry *>(lfirst(cell));
            if (rte->rtekind == RTE_RELATION && rte->relid != context->view &&
                reaches_schema(rte->relid, context)) {
                return true;
            }
        }
        return query_tree_walker(query, kReachWalker, context, QTW_IGNORE_JOINALIASES);
    }
    return expression_tree_walker(node, kReachWalker, context);
}

bool reaches_schema(Oid relid, ReachContext *context) {
    if (get_rel_namespace(relid) == context->schema) {
        return true;
    }
    if (get_rel_relkind(relid) != RELKIND_VIEW || context->depth > 32) {
        return false;
    }
    ReachContext inner{context->schema, relid, context->depth + 1};
    Relation view = table_open(relid, AccessShareLock);
    bool reaches = query_reaches_schema(reinterpret_cast<Node *>(get_view_query(view)), &inner);
    table_close(view, AccessShareLock);
    return reaches;
}

// A table lock on the extension's tables would stop every tenant (and the workers): PostgreSQL
// lets any role with UPDATE or DELETE on a table take ACCESS EXCLUSIVE on it, and every user
// holds those. Only the tables' owner and superusers may lock them; row locks come with writes
// and with SELECT ... FOR UPDATE on rows the role may change (the policies).
void refuse_table_locks(const LockStmt *lock) {
    Oid schema = get_namespace_oid("syncmaster", true);
    if (!OidIsValid(schema)) {
        return;
    }
    ListCell *cell;
    foreach (cell, lock->relations) {
        auto *rv = static_cast<RangeVar *>(lfirst(cell));
        Oid relid = RangeVarGetRelid(rv, NoLock, true);
        if (!OidIsValid(relid)) {
            continue;  // LOCK TABLE itself reports it
        }
        // The owner of the schema owns its tables: the extension's installer.
        ReachContext context{schema, InvalidOid, 0};
        if (reaches_schema(relid, &context) && !pg_namespace_ownercheck(schema, GetUserId())) {
            ereport(
                ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE), errmsg("%s", syncmaster::core::kNoPower),
                 errdetail("Only the owner of pg_syncmaster's tables and superusers lock them "
                           "(\"%s\"): a table lock would stop every tenant.",
                           rv->relname),
                 errhint("Writes take the row locks they need; SELECT ... FOR UPDATE takes "
                         "them on rows you may change.")));
        }
    }
}

void process_utility(PlannedStmt *pstmt, const char *query_string, bool read_only_tree,
                     ProcessUtilityContext context, ParamListInfo params,
                     QueryEnvironment *query_env, DestReceiver *dest, QueryCompletion *qc) {
    if (drops_extension(pstmt->utilityStmt)) {
        remove_transfer_jobs();
    }
    if (IsA(pstmt->utilityStmt, LockStmt)) {
        refuse_table_locks(reinterpret_cast<const LockStmt *>(pstmt->utilityStmt));
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
    syncmaster::pg::register_searchables(&syncmaster::extension::searchable);
    previous_process_utility = ProcessUtility_hook;
    ProcessUtility_hook = process_utility;
}
}
