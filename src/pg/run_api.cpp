// The run API (DESIGN §8, §10): start_run and stop_run for users, and the workers' functions —
// claim_run, heartbeat_run, finish_run, reap_stale_runs — for the system. C++ over SPI; the run
// trigger checks every transition again, for direct DML alike.
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/permissions.hpp"
#include "core/run.hpp"
#include "core/run_state.hpp"
#include "core/transfer.hpp"

#include <optional>
#include <string>

#include "pg/api.hpp"
#include "pg/entry.hpp"
#include "pg/guc.hpp"
#include "pg/identity.hpp"
#include "pg/module.hpp"
#include "pg/probes.hpp"
#include "pg/search.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"

namespace syncmaster::pg {

namespace {

void require_system(const char *what) {
    if (!current_actor().actor.system) {
        core::forbidden(std::string("Only workers (the system: a syncmaster_service member, or a "
                                    "superuser) ") +
                        what + ".");
    }
}

[[noreturn]] void run_not_found() {
    throw core::Error(core::sqlstate::kNotFound, "Run not found");
}

// A run's transfer and status as the caller sees it, the row locked FOR UPDATE.
struct LockedRun {
    bool found;
    int64 transfer_id;
    const char *status;
};

SPIPlanPtr lock_plan = nullptr;
SPIPlanPtr start_plan = nullptr;
SPIPlanPtr stop_plan = nullptr;
SPIPlanPtr claim_plan = nullptr;
SPIPlanPtr heartbeat_plan = nullptr;
SPIPlanPtr finish_plan = nullptr;
SPIPlanPtr reap_plan = nullptr;
SPIPlanPtr reaper_job_plan = nullptr;

LockedRun lock_run(int64 run_id) {
    return as_caller([run_id]() {
        Oid types[1] = {INT8OID};
        SPIPlanPtr plan = kept_plan(&lock_plan,
                                    "SELECT r.transfer_id, r.status FROM syncmaster.run r "
                                    "WHERE r.id OPERATOR(pg_catalog.=) $1 FOR UPDATE",
                                    1, types);
        Datum values[1] = {Int64GetDatum(run_id)};
        if (SPI_execute_plan(plan, values, nullptr, false, 1) != SPI_OK_SELECT) {
            elog(ERROR, "reading run " INT64_FORMAT " failed", run_id);
        }
        LockedRun r{false, 0, ""};
        if (SPI_processed == 1) {
            bool isnull;
            r.found = true;
            r.transfer_id = DatumGetInt64(
                SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
            char *status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
            char *copy = static_cast<char *>(SPI_palloc(strlen(status) + 1));
            strcpy(copy, status);
            r.status = copy;
        }
        return r;
    });
}

// Runs `sql` (a kept plan in *slot) with int8/text arguments as the extension's owner; returns
// the int8 first column of its first row, or nullopt for no row. For the workers' functions,
// whose caller is the system anyway.
std::optional<int64> as_owner(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *types,
                              const Datum *values, const char *nulls) {
    FirstInt8 r = as_table_owner([slot, sql, nargs, types, values, nulls]() {
        SPIPlanPtr plan = kept_plan(slot, sql, nargs, const_cast<Oid *>(types));
        return execute_first_int8(plan, const_cast<Datum *>(values), nulls);
    });
    if (!r.found) {
        return std::nullopt;
    }
    return r.value;
}

SPIPlanPtr queue_exists_plan = nullptr;

// Runs fn, a worker's write of run `run_id`, waiting at most syncmaster.worker_lock_timeout for
// the row (a function-level SET lock_timeout, restored after): a user who may stop the run can
// hold it, in SELECT ... FOR UPDATE or an open transaction, and a worker never waits on a tenant
// for longer than that. Then it fails with 55P03 saying so, and the run is as it was.
template <typename Fn>
std::optional<int64> bounded_wait(int64 run_id, Fn fn) {
    int timeout = guc::worker_lock_timeout_ms();
    int nest = pg_call([timeout]() {
        int level = NewGUCNestLevel();
        char value[32];
        snprintf(value, sizeof value, "%d", timeout);
        (void)set_config_option("lock_timeout", value, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
                                true, 0, false);
        return level;
    });
    try {
        std::optional<int64> result = fn();
        pg_call([nest]() {
            AtEOXact_GUC(true, nest);
            return 0;
        });
        return result;
    } catch (const PgError &e) {
        // The transaction is aborting: its end restores lock_timeout.
        if (e.edata()->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE) {
            throw;
        }
        throw core::Error(core::sqlstate::kLockNotAvailable,
                          "Run " + std::to_string(run_id) + " is held by another transaction",
                          "A worker waits at most syncmaster.worker_lock_timeout (" +
                              std::to_string(timeout) +
                              " ms) for a run a user holds; nothing was changed.",
                          "Try again: the run, its status and its lease are as they were.");
    }
}

// Whether a queue has this slug.
bool queue_exists(const char *slug) {
    const Oid types[1] = {TEXTOID};
    Datum values[1] = {pg_call([slug]() { return CStringGetTextDatum(slug); })};
    return as_owner(&queue_exists_plan,
                    "SELECT 1::bigint FROM syncmaster.queue q "
                    "WHERE q.slug OPERATOR(pg_catalog.=) $1",
                    1, types, values, nullptr)
        .has_value();
}

// The reaper's pg_cron job, made at the first claim of a backend when pg_cron can run it: a worker
// that dies leaves its run to the reaper within a minute of the lease's end. (The install script
// schedules nothing; DROP EXTENSION removes the job with the transfers'.)
bool reaper_checked = false;

void ensure_reaper_job() {
    if (reaper_checked) {
        return;
    }
    reaper_checked = true;
    bool cron = pg_call([]() { return OidIsValid(get_extension_oid("pg_cron", true)); });
    if (!cron || !loaded_at_server_start()) {
        return;
    }
    as_table_owner([]() {
        Oid types[2] = {TEXTOID, TEXTOID};
        SPIPlanPtr plan = kept_plan(
            &reaper_job_plan,
            "SELECT cron.schedule($1, '* * * * *', $2) "
            "WHERE NOT EXISTS (SELECT FROM cron.job j WHERE j.jobname OPERATOR(pg_catalog.=) $1 "
            "AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database() "
            "AND j.username OPERATOR(pg_catalog.=) CURRENT_USER "
            "AND j.command OPERATOR(pg_catalog.=) $2)",
            2, types);
        Datum values[2] = {CStringGetTextDatum(core::transfer::kReaperJobName),
                           CStringGetTextDatum(core::transfer::kReaperJobCommand)};
        if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_SELECT) {
            elog(ERROR, "scheduling the reaper failed");
        }
        return 0;
    });
}

}  // namespace

}  // namespace syncmaster::pg

using namespace syncmaster;

// start_run(transfer_id) → bigint: a MANUAL run in CREATED with the transfer's dump (WRITE).
SYNCMASTER_FUNCTION(syncmaster_start_run) {
    int64 transfer_id = pg::required_int8(fcinfo, 0, "transfer_id");
    std::optional<int64> id = pg::as_caller([transfer_id]() -> int64 {
        Oid types[1] = {INT8OID};
        SPIPlanPtr plan = pg::kept_plan(&pg::start_plan,
                                        "INSERT INTO syncmaster.run (transfer_id, type, status) "
                                        "VALUES ($1, 'MANUAL', 'CREATED') RETURNING id",
                                        1, types);
        Datum values[1] = {Int64GetDatum(transfer_id)};
        if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_INSERT_RETURNING ||
            SPI_processed != 1) {
            elog(ERROR, "starting a run of transfer " INT64_FORMAT " failed", transfer_id);
        }
        bool isnull;
        return DatumGetInt64(
            SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    });
    PG_RETURN_INT64(*id);
}

// stop_run(run_id): CREATED → STOPPED at once, STARTED → SEND_STOP_SIGNAL (its worker learns it at
// its next heartbeat), anything else 55000 "Cannot stop run N. Current status is S". The run row
// is locked first, so a stop and a claim of one run take turns.
SYNCMASTER_FUNCTION(syncmaster_stop_run) {
    int64 run_id = pg::required_int8(fcinfo, 0, "run_id");
    pg::LockedRun run = pg::lock_run(run_id);
    if (!run.found) {
        pg::run_not_found();
    }
    core::identity::Actor actor = pg::current_actor().actor;
    pg::Probes lookup;
    auto transfer = lookup.transfer(run.transfer_id);
    namespace perm = core::permissions;
    perm::authorize(actor, perm::Entity::kRun, perm::Action::kUpdate,
                    transfer ? lookup.standing(actor, transfer->group_id) : perm::Standing{});
    core::run_state::Status target =
        core::run_state::stop(run_id, core::run_state::require(run.status));
    const char *status = core::run_state::name(target);
    pg::as_caller([run_id, status]() {
        Oid types[2] = {INT8OID, TEXTOID};
        SPIPlanPtr plan = pg::kept_plan(&pg::stop_plan,
                                        "UPDATE syncmaster.run SET status = $2 "
                                        "WHERE id OPERATOR(pg_catalog.=) $1",
                                        2, types);
        Datum values[2] = {Int64GetDatum(run_id), CStringGetTextDatum(status)};
        if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_UPDATE) {
            elog(ERROR, "stopping run " INT64_FORMAT " failed", run_id);
        }
        return 0;
    });
    PG_RETURN_VOID();
}

// claim_run_id(queue_slug, worker) → bigint: the id of the oldest CREATED run of the queue, now
// STARTED for this worker with a lease of syncmaster.run_lease; NULL when none is free. Runs
// another worker holds are skipped, not waited for (FOR UPDATE SKIP LOCKED): each run is claimed
// exactly once. The system only.
SYNCMASTER_FUNCTION(syncmaster_claim_run) {
    pg::require_system("claim runs");
    const char *slug = pg::text_argument(fcinfo, 0);
    const char *worker = pg::text_argument(fcinfo, 1);
    if (slug == nullptr) {
        throw core::Error(core::sqlstate::kInvalidInput, "queue_slug is required");
    }
    core::fields::check(core::run::kWorker,
                        worker == nullptr ? std::nullopt : std::optional<std::string_view>(worker));
    pg::ensure_reaper_job();
    const Oid types[2] = {TEXTOID, TEXTOID};
    Datum values[2] = {pg::pg_call([slug]() { return CStringGetTextDatum(slug); }),
                       worker == nullptr ? Datum(0) : pg::pg_call([worker]() {
                           return CStringGetTextDatum(worker);
                       })};
    const char nulls[2] = {' ', worker == nullptr ? 'n' : ' '};
    std::optional<int64> id = pg::as_owner(
        &pg::claim_plan,
        "WITH next AS ("
        " SELECT r.id FROM syncmaster.run r"
        " WHERE r.queue_id OPERATOR(pg_catalog.=)"
        "   (SELECT q.id FROM syncmaster.queue q WHERE q.slug OPERATOR(pg_catalog.=) $1)"
        "   AND r.status OPERATOR(pg_catalog.=) 'CREATED'"
        " ORDER BY r.created_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED) "
        "UPDATE syncmaster.run r SET status = 'STARTED', worker = $2 "
        "FROM next WHERE r.id OPERATOR(pg_catalog.=) next.id RETURNING r.id",
        2, types, values, nulls);
    if (!id) {
        // No run free, or no such queue: a worker polling a queue that is gone is told so.
        if (!pg::queue_exists(slug)) {
            throw core::Error(core::sqlstate::kNotFound, "Queue not found");
        }
        PG_RETURN_NULL();
    }
    PG_RETURN_INT64(*id);
}

// heartbeat_run(run_id) → boolean: renews the lease of a running run; true when its worker should
// stop (SEND_STOP_SIGNAL). 55000 when the run is no longer running (reaped, say). The system only.
SYNCMASTER_FUNCTION(syncmaster_heartbeat_run) {
    pg::require_system("renew leases");
    int64 run_id = pg::required_int8(fcinfo, 0, "run_id");
    const Oid types[1] = {INT8OID};
    Datum values[1] = {Int64GetDatum(run_id)};
    // The run's rules renew the lease of a running run that the system updates in place.
    std::optional<int64> stop = pg::bounded_wait(run_id, [&]() {
        return pg::as_owner(
            &pg::heartbeat_plan,
            "UPDATE syncmaster.run r SET status = r.status "
            "WHERE r.id OPERATOR(pg_catalog.=) $1"
            " AND r.status OPERATOR(pg_catalog.=) ANY ('{STARTED,SEND_STOP_SIGNAL}'::text[]) "
            "RETURNING (r.status OPERATOR(pg_catalog.=) 'SEND_STOP_SIGNAL')::integer::bigint",
            1, types, values, nullptr);
    });
    if (!stop) {
        pg::LockedRun run = pg::lock_run(run_id);
        if (!run.found) {
            pg::run_not_found();
        }
        throw core::Error(core::sqlstate::kInUse,
                          "Run " + std::to_string(run_id) + " is " + run.status + ", not running",
                          "Its lease can no longer be renewed.");
    }
    PG_RETURN_BOOL(*stop != 0);
}

// finish_run(run_id, status, log_url) : FINISHED, FAILED or STOPPED where the state machine allows
// it; the run's rules clear the lease and, when the worker gives no log_url, take it from
// syncmaster.log_url_template. The system only.
SYNCMASTER_FUNCTION(syncmaster_finish_run) {
    pg::require_system("finish runs");
    int64 run_id = pg::required_int8(fcinfo, 0, "run_id");
    const char *status_text = pg::text_argument(fcinfo, 1);
    const char *url = pg::text_argument(fcinfo, 2);
    core::fields::check(core::run::kLogUrl,
                        url == nullptr ? std::nullopt : std::optional<std::string_view>(url));
    const char *status =
        core::run_state::name(core::run::finish_status(status_text ? status_text : ""));
    const Oid types[3] = {INT8OID, TEXTOID, TEXTOID};
    Datum values[3] = {
        Int64GetDatum(run_id), pg::pg_call([status]() { return CStringGetTextDatum(status); }),
        url == nullptr ? Datum(0) : pg::pg_call([url]() { return CStringGetTextDatum(url); })};
    const char nulls[3] = {' ', ' ', url == nullptr ? 'n' : ' '};
    std::optional<int64> finished = pg::bounded_wait(run_id, [&]() {
        return pg::as_owner(&pg::finish_plan,
                            "UPDATE syncmaster.run r SET status = $2, log_url = $3 "
                            "WHERE r.id OPERATOR(pg_catalog.=) $1 RETURNING r.id",
                            3, types, values, nulls);
    });
    if (!finished) {
        pg::run_not_found();
    }
    PG_RETURN_VOID();
}

// reap_stale_runs() → integer: fails every running run whose lease expired, and returns how many;
// the run's rules say why in failure_reason. Runs another session holds are left for the next
// pass. The system only.
SYNCMASTER_FUNCTION(syncmaster_reap_stale_runs) {
    pg::require_system("reap runs");
    int64 count = pg::as_table_owner([]() -> int64 {
        SPIPlanPtr plan = pg::kept_plan(
            &pg::reap_plan,
            "WITH stale AS ("
            " SELECT r.id FROM syncmaster.run r"
            " WHERE r.status OPERATOR(pg_catalog.=) ANY ('{STARTED,SEND_STOP_SIGNAL}'::text[])"
            "   AND r.lease_expires_at OPERATOR(pg_catalog.<) pg_catalog.statement_timestamp()"
            " FOR UPDATE SKIP LOCKED) "
            "UPDATE syncmaster.run r SET status = 'FAILED' "
            "FROM stale WHERE r.id OPERATOR(pg_catalog.=) stale.id "
            " AND r.lease_expires_at OPERATOR(pg_catalog.<) pg_catalog.statement_timestamp()",
            0, nullptr);
        if (SPI_execute_plan(plan, nullptr, nullptr, false, 0) != SPI_OK_UPDATE) {
            elog(ERROR, "reaping runs failed");
        }
        return static_cast<int64>(SPI_processed);
    });
    PG_RETURN_INT32(static_cast<int32>(count));
}

// run_status(status text) → text: the status, or 22023 naming the six.
SYNCMASTER_FUNCTION(syncmaster_run_status) {
    const char *status = pg::text_argument(fcinfo, 0);
    const char *name = core::run_state::name(core::run_state::require(status));
    return pg::pg_call([name]() { return PointerGetDatum(cstring_to_text(name)); });
}

namespace syncmaster::pg {
namespace {

Statement transfer_group(
    "SELECT t.group_id FROM syncmaster.transfer t WHERE t.id OPERATOR(pg_catalog.=) $1");
// The function's search_path is pg_catalog, pg_temp.
Statement runs_page(
    "SELECT r.id, r.started_at, r.ended_at, r.status, r.type, r.log_url, r.worker,"
    " r.failure_reason, count(*) OVER () FROM syncmaster.run r "
    "WHERE r.transfer_id = $1 AND ($2::varchar[] IS NULL OR r.status = ANY ($2))"
    " AND ($3::timestamptz IS NULL OR r.started_at >= $3)"
    " AND ($4::timestamptz IS NULL OR r.started_at <= $4) "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT $5 OFFSET ($6 - 1) * $5");

}  // namespace
}  // namespace syncmaster::pg

// list_runs(transfer_id, statuses, started_at_since, started_at_until, page, page_size): a
// transfer's runs, newest first, without transfer_dump; a date filter leaves out the runs never
// started.
SYNCMASTER_FUNCTION(syncmaster_list_runs) {
    std::optional<int64> transfer_id = pg::int8_param(fcinfo, 0);
    pg::authorize(core::permissions::Entity::kTransfer, core::permissions::Action::kRead,
                  transfer_id ? pg::group_of(pg::transfer_group, *transfer_id) : std::nullopt);
    pg::Page page = pg::page_params(fcinfo, 4);
    if (auto statuses = pg::text_array_param(fcinfo, 1)) {
        for (const std::optional<std::string> &status : *statuses) {
            if (status) {  // a NULL in the filter matches nothing
                core::run_state::require(*status);
            }
        }
    }
    return pg::runs_page.return_rows(
        fcinfo,
        {pg::int8_arg(transfer_id), pg::function_arg(fcinfo, 1, VARCHARARRAYOID),
         pg::function_arg(fcinfo, 2, TIMESTAMPTZOID), pg::function_arg(fcinfo, 3, TIMESTAMPTZOID),
         pg::int8_arg(page.size), pg::int8_arg(page.number)});
}
