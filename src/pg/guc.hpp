// The extension's settings (syncmaster.*), defined when the library loads.
#pragma once

namespace syncmaster::pg {

// Whether the library was loaded by shared_preload_libraries (recorded by guc::define_settings,
// which _PG_init calls), so that every session of the cluster has its settings and hooks from its
// first statement.
bool loaded_at_server_start();

namespace guc {

// Defines every setting and reserves the prefix "syncmaster.", so that a misspelt setting is
// reported instead of silently ignored. PostgreSQL-regime: called from _PG_init.
void define_settings();

// syncmaster.acting_user as it counts: the value when it was set in the current transaction (by
// SET LOCAL, set_config(..., true), a SET inside the transaction, or a function's SET clause), ""
// otherwise; stale says that a value from outside the transaction (an earlier transaction, a role
// or database default, the configuration file) is present and was ignored.
struct ActingUser {
    const char *value;
    bool stale;
};
ActingUser acting_user();

// syncmaster.encryption_key and syncmaster.encryption_key_file, "" when not set.
const char *encryption_key();
const char *encryption_key_file();

// syncmaster.run_lease in seconds: how long a claim holds without a heartbeat.
int run_lease_seconds();
// syncmaster.run_retention in seconds: how long a finished run is kept, 0 for ever.
int run_retention_seconds();
// syncmaster.worker_lock_timeout in milliseconds: how long a worker's function waits for a run row.
int worker_lock_timeout_ms();
// syncmaster.log_url_template, "" when not set.
const char *log_url_template();
// syncmaster.notify_runs: which run changes are sent on the channel syncmaster_runs.
enum class NotifyRuns { kNone, kWorkers, kAll };
NotifyRuns notify_runs();

// Who hands runs to workers and who fires schedules, when pg_syncmaster shares its database with
// SyncMaster's own server (which sends each run to Celery and fires schedules with APScheduler).
// syncmaster.dispatcher: claim_run (pg_syncmaster's workers), celery (claim_run hands out
// nothing), auto (celery when SyncMaster's Celery result table syncmaster.celery_taskmeta exists,
// else claim_run). syncmaster.scheduler: pg_cron, syncmaster (a transfer's pg_cron job makes no
// run), auto (syncmaster when SyncMaster's scheduler table syncmaster.apscheduler_jobs exists,
// else pg_cron). Both answer with auto resolved.
enum class Dispatcher { kClaimRun, kCelery };
Dispatcher dispatcher();
enum class Scheduler { kPgCron, kSyncMaster };
Scheduler scheduler();

}  // namespace guc
}  // namespace syncmaster::pg
