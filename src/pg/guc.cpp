#include "core/fernet.hpp"
#include "core/identity.hpp"

#include "pg/guc.hpp"

#include "pg/entry.hpp"
#include "pg/pg.hpp"

namespace syncmaster::pg::guc {

namespace {
char *acting_user_value = nullptr;
// syncmaster.acting_user's own entry in PostgreSQL's table of settings, found once it is defined.
struct config_generic *acting_user_config = nullptr;
char *encryption_key_value = nullptr;
char *encryption_key_file_value = nullptr;
int run_lease_value = 300;
int run_retention_value = 0;
int worker_lock_timeout_value = 5000;
char *log_url_template_value = nullptr;
int notify_runs_value = static_cast<int>(NotifyRuns::kWorkers);
const struct config_enum_entry kNotifyRunsOptions[] = {
    {"none", static_cast<int>(NotifyRuns::kNone), false},
    {"workers", static_cast<int>(NotifyRuns::kWorkers), false},
    {"all", static_cast<int>(NotifyRuns::kAll), false},
    {nullptr, 0, false}};

// syncmaster.dispatcher and syncmaster.scheduler: -1 is auto.
constexpr int kAuto = -1;
int dispatcher_value = kAuto;
const struct config_enum_entry kDispatcherOptions[] = {
    {"auto", kAuto, false},
    {"claim_run", static_cast<int>(Dispatcher::kClaimRun), false},
    {"celery", static_cast<int>(Dispatcher::kCelery), false},
    {nullptr, 0, false}};
int scheduler_value = kAuto;
const struct config_enum_entry kSchedulerOptions[] = {
    {"auto", kAuto, false},
    {"pg_cron", static_cast<int>(Scheduler::kPgCron), false},
    {"syncmaster", static_cast<int>(Scheduler::kSyncMaster), false},
    {nullptr, 0, false}};

// Whether the extension's schema holds a table of this name (SyncMaster's, when its server shares
// the database: it names its tables unqualified, with search_path = syncmaster).
bool schema_has_table(const char *name) {
    return pg_call([name]() {
        Oid schema = get_namespace_oid("syncmaster", true);
        return OidIsValid(schema) && OidIsValid(get_relname_relid(name, schema));
    });
}
}  // namespace

Dispatcher dispatcher() {
    if (dispatcher_value == kAuto) {
        return schema_has_table("celery_taskmeta") ? Dispatcher::kCelery : Dispatcher::kClaimRun;
    }
    return static_cast<Dispatcher>(dispatcher_value);
}
Scheduler scheduler() {
    if (scheduler_value == kAuto) {
        return schema_has_table("apscheduler_jobs") ? Scheduler::kSyncMaster : Scheduler::kPgCron;
    }
    return static_cast<Scheduler>(scheduler_value);
}

int run_retention_seconds() {
    return run_retention_value;
}

int run_lease_seconds() {
    return run_lease_value;
}
int worker_lock_timeout_ms() {
    return worker_lock_timeout_value;
}
const char *log_url_template() {
    return log_url_template_value != nullptr ? log_url_template_value : "";
}
NotifyRuns notify_runs() {
    return static_cast<NotifyRuns>(notify_runs_value);
}

// PostgreSQL 15 keeps, on each setting, a stack of the values to restore at the end of the
// current transaction (or subtransaction, or function call with a SET clause): the stack is empty
// exactly when nothing in the running transaction has changed the setting. A value with an empty
// stack therefore came from before the transaction (the session, a role or database default, the
// configuration file) and does not count. A ROLLBACK TO SAVEPOINT that undoes the only change
// empties the stack again, so a value another client left on a pooled session cannot come back
// that way either.
ActingUser acting_user() {
    const char *value = acting_user_value != nullptr ? acting_user_value : "";
    bool set_in_transaction = acting_user_config != nullptr && acting_user_config->stack != nullptr;
    if (set_in_transaction) {
        return ActingUser{value, false};
    }
    return ActingUser{"", *value != '\0'};
}

static struct config_generic *find_setting(const char *name) {
    struct config_generic **settings = get_guc_variables();
    int count = GetNumConfigOptions();
    for (int i = 0; i < count; ++i) {
        if (strcmp(settings[i]->name, name) == 0) {
            return settings[i];
        }
    }
    return nullptr;
}
const char *encryption_key() {
    return encryption_key_value != nullptr ? encryption_key_value : "";
}
const char *encryption_key_file() {
    return encryption_key_file_value != nullptr ? encryption_key_file_value : "";
}

// A key that is set must be a Fernet key: a bad value is refused when the configuration is read,
// never echoed, and the previous key stays in force.
static bool check_encryption_key(char **value, void **, GucSource) {
    if (*value == nullptr || **value == '\0') {
        return true;
    }
    try {
        syncmaster::core::fernet::parse_key(*value);
        return true;
    } catch (const std::exception &) {
        GUC_check_errdetail("A Fernet key is url-safe base64 of 32 bytes.");
        return false;
    }
}

bool preloaded = false;

void define_settings() {
    preloaded = process_shared_preload_libraries_in_progress;
    // Superuser-only (PGC_SUSET): the install script grants SET on it to syncmaster_app. A
    // value set by any other role before this library loaded is dropped with a WARNING when
    // PostgreSQL re-applies it here, and core::identity refuses it at use from any role outside
    // syncmaster_app.
    DefineCustomStringVariable(
        core::identity::kActingUserSetting, "The user a syncmaster_app member acts for.",
        "Only members of syncmaster_app may set it, and it counts only in the transaction that set "
        "it: use SET LOCAL.",
        &acting_user_value, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
    // The entry is allocated once and never moves (only the table of pointers to it grows).
    acting_user_config = find_setting(core::identity::kActingUserSetting);
    if (acting_user_config == nullptr) {
        elog(ERROR, "setting %s is not defined", core::identity::kActingUserSetting);
    }

    // The credentials key is server-level only (postgresql.conf or ALTER SYSTEM: PGC_SIGHUP, so no
    // ALTER DATABASE/ROLE ... SET whose value every role could read in pg_db_role_setting) and
    // hidden from roles without pg_read_all_settings (GUC_SUPERUSER_ONLY).
    DefineCustomStringVariable(
        "syncmaster.encryption_key",
        "Fernet key (url-safe base64 of 32 bytes) that encrypts connection credentials.", nullptr,
        &encryption_key_value, "", PGC_SIGHUP, GUC_SUPERUSER_ONLY | GUC_NOT_IN_SAMPLE,
        check_encryption_key, nullptr, nullptr);
    DefineCustomStringVariable("syncmaster.encryption_key_file",
                               "File holding the Fernet key, readable by the server only; used "
                               "when encryption_key is empty.",
                               nullptr, &encryption_key_file_value, "", PGC_SIGHUP,
                               GUC_SUPERUSER_ONLY | GUC_NOT_IN_SAMPLE, nullptr, nullptr, nullptr);

    // Worker settings: per database or role too (ALTER DATABASE ... SET), by superusers.
    DefineCustomIntVariable(
        "syncmaster.run_lease", "How long a worker's claim on a run holds without a heartbeat.",
        "A run whose lease expired is failed by reap_stale_runs().", &run_lease_value, 300, 10,
        86400, PGC_SUSET, GUC_UNIT_S, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "syncmaster.run_retention", "How long a finished run is kept; 0 keeps every run.",
        "purge_runs() (the pg_cron job syncmaster_purge_runs) removes FINISHED, FAILED and STOPPED "
        "runs that ended longer ago, a batch at a time; never a run that has not ended.",
        &run_retention_value, 0, 0, INT_MAX, PGC_SUSET, GUC_UNIT_S, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "syncmaster.worker_lock_timeout",
        "How long heartbeat_run() and finish_run() wait for a run another transaction holds.",
        "A user who may stop a run can lock it (SELECT ... FOR UPDATE); a worker then fails with "
        "55P03 after this long instead of waiting for that user.",
        &worker_lock_timeout_value, 5000, 1, 600000, PGC_SUSET, GUC_UNIT_MS, nullptr, nullptr,
        nullptr);
    DefineCustomStringVariable(
        "syncmaster.log_url_template", "The log_url of a finished run when its worker gives none.",
        "Placeholders: {run_id}, {transfer_id}, {queue}.", &log_url_template_value, "", PGC_SUSET,
        0, nullptr, nullptr, nullptr);
    // Every NOTIFY takes a cluster-wide lock at commit: claims and finishes, the hot path, send
    // nothing by default (bench/runs.sh measured 0.55x the throughput at 8 workers with "all").
    DefineCustomEnumVariable(
        "syncmaster.notify_runs", "Which run changes are sent on the channel syncmaster_runs.",
        "workers: new runs and stop requests (what workers need); all: every new run and status "
        "change; none: nothing.",
        &notify_runs_value, static_cast<int>(NotifyRuns::kWorkers), kNotifyRunsOptions, PGC_SUSET,
        0, nullptr, nullptr, nullptr);

    // Per database too, by superusers: a database SyncMaster's server shares.
    DefineCustomEnumVariable(
        "syncmaster.dispatcher", "Who hands runs to workers: claim_run(), or SyncMaster's Celery.",
        "claim_run: pg_syncmaster's workers claim every run; celery: claim_run() hands out nothing "
        "(SyncMaster's server sends each run to its Celery workers); auto: celery when the table "
        "syncmaster.celery_taskmeta exists, else claim_run.",
        &dispatcher_value, kAuto, kDispatcherOptions, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomEnumVariable(
        "syncmaster.scheduler",
        "Who fires scheduled transfers: pg_cron, or SyncMaster's scheduler.",
        "pg_cron: each scheduled transfer's pg_cron job makes its runs; syncmaster: the jobs make "
        "none (SyncMaster's scheduler does); auto: syncmaster when the table "
        "syncmaster.apscheduler_jobs exists, else pg_cron.",
        &scheduler_value, kAuto, kSchedulerOptions, PGC_SUSET, 0, nullptr, nullptr, nullptr);

    MarkGUCPrefixReserved("syncmaster");
}

}  // namespace syncmaster::pg::guc

namespace syncmaster::pg {

bool loaded_at_server_start() {
    return guc::preloaded;
}

}  // namespace syncmaster::pg
