// The run API: start_run and stop_run for users, and the workers' functions —
// claim_run, heartbeat_run, finish_run, reap_stale_runs — for the system. C++ over SPI; the run
// trigger checks every transition again, for direct DML alike.
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/permissions.hpp"
#include "run/rules.hpp"
#include "run/state.hpp"
#include "transfer/rules.hpp"

#include <optional>
#include <string>

#include "pg/api.hpp"
#include "pg/entry.hpp"
#include "pg/guc.hpp"
#include "pg/identity.hpp"
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

using core::run_state::Status;

// A status as an SQL literal. The statements below spell statuses from core::run_state; CREATED
// stays a literal in the claim, where it must match the partial index's predicate.
std::string literal(Status status) {
    return std::string("'") + core::run_state::name(status) + "'";
}

// The running statuses, as an SQL array literal.
std::string running() {
    return std::string("'{") + core::run_state::name(Status::kStarted) + "," +
           core::run_state::name(Status::kSendStopSignal) + "}'::text[]";
}

// The statuses of a run that has ended, as an SQL array literal.
std::string ended() {
    return std::string("'{") + core::run_state::name(Status::kFinished) + "," +
           core::run_state::name(Status::kFailed) + "," + core::run_state::name(Status::kStopped) +
           "}'::text[]";
}

// A run's transfer and status as the caller sees it, the row locked FOR UPDATE.
Statement lock_run_row(
    "SELECT r.transfer_id, r.status FROM syncmaster.run r "
    "WHERE r.id OPERATOR(pg_catalog.=) $1 FOR UPDATE");
Statement start(
    "INSERT INTO syncmaster.run (transfer_id, type, status) VALUES ($1, $2, $3) RETURNING id");
Statement stop("UPDATE syncmaster.run SET status = $2 WHERE id OPERATOR(pg_catalog.=) $1");
// The run's rules stamp the lease of a claim, renew it on a heartbeat, clear it and say why on a
// finish or a reap: these are plain UPDATEs.
Statement claim(
    "WITH next AS ("
    " SELECT r.id FROM syncmaster.run r"
    " WHERE r.queue_id OPERATOR(pg_catalog.=)"
    "   (SELECT q.id FROM syncmaster.queue q WHERE q.slug OPERATOR(pg_catalog.=) $1)"
    "   AND r.status OPERATOR(pg_catalog.=) " +
    literal(Status::kCreated) +
    " ORDER BY r.created_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED) "
    "UPDATE syncmaster.run r SET status = " +
    literal(Status::kStarted) +
    ", worker = $2 FROM next WHERE r.id OPERATOR(pg_catalog.=) next.id RETURNING r.id");
Statement heartbeat(
    "UPDATE syncmaster.run r SET status = r.status WHERE r.id OPERATOR(pg_catalog.=) $1"
    " AND r.status OPERATOR(pg_catalog.=) ANY (" +
    running() + ") RETURNING (r.status OPERATOR(pg_catalog.=) " + literal(Status::kSendStopSignal) +
    ")::integer::bigint");
Statement finish(
    "UPDATE syncmaster.run r SET status = $2, log_url = $3 "
    "WHERE r.id OPERATOR(pg_catalog.=) $1 RETURNING r.id");
Statement reap(
    "WITH stale AS ("
    " SELECT r.id FROM syncmaster.run r"
    " WHERE r.status OPERATOR(pg_catalog.=) ANY (" +
    running() +
    ")"
    "   AND r.lease_expires_at OPERATOR(pg_catalog.<) pg_catalog.statement_timestamp()"
    " FOR UPDATE SKIP LOCKED) "
    "UPDATE syncmaster.run r SET status = " +
    literal(Status::kFailed) +
    " FROM stale WHERE r.id OPERATOR(pg_catalog.=) stale.id"
    " AND r.lease_expires_at OPERATOR(pg_catalog.<) pg_catalog.statement_timestamp()");
// Up to $2 runs that ended more than $1 seconds ago, oldest first from ix__run__ended_at; runs
// another session holds are left for the next pass.
Statement purge(
    "WITH old AS ("
    " SELECT r.id FROM syncmaster.run r"
    " WHERE r.status OPERATOR(pg_catalog.=) ANY (" +
    ended() +
    ")"
    "   AND r.ended_at OPERATOR(pg_catalog.<) (pg_catalog.statement_timestamp()"
    "       OPERATOR(pg_catalog.-) pg_catalog.make_interval(secs => $1))"
    " ORDER BY r.ended_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
    "DELETE FROM syncmaster.run r USING old WHERE r.id OPERATOR(pg_catalog.=) old.id");
Statement queue_with_slug(
    "SELECT q.id FROM syncmaster.queue q WHERE q.slug OPERATOR(pg_catalog.=) $1");
// The slugs of the queues named $1 (a worker given a queue's name instead of its slug).
Statement slugs_of_queues_named(
    "SELECT pg_catalog.string_agg(q.slug, ', ' ORDER BY q.slug) FROM syncmaster.queue q"
    " WHERE q.name OPERATOR(pg_catalog.=) $1");
Statement schedule_reaper(
    "SELECT cron.schedule($1, '* * * * *', $2) "
    "WHERE NOT EXISTS (SELECT FROM cron.job j WHERE j.jobname OPERATOR(pg_catalog.=) $1 "
    "AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database() "
    "AND j.username OPERATOR(pg_catalog.=) CURRENT_USER "
    "AND j.command OPERATOR(pg_catalog.=) $2)");

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

// The reaper's pg_cron job, made at the first claim of a backend when pg_cron can run it: a worker
// that dies leaves its run to the reaper within a minute of the lease's end. The retention job
// comes with it (it removes nothing while syncmaster.run_retention is 0). (The install script
// schedules nothing; DROP EXTENSION removes the jobs with the transfers'.)
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
    schedule_reaper.run(As::kTableOwner, {text_arg(core::transfer::kReaperJobName),
                                          text_arg(core::transfer::kReaperJobCommand)});
    schedule_reaper.run(As::kTableOwner, {text_arg(core::transfer::kPurgeJobName),
                                          text_arg(core::transfer::kPurgeJobCommand)});
}

}  // namespace

}  // namespace syncmaster::pg

using namespace syncmaster;

// start_run(transfer_id) → bigint: a MANUAL run in CREATED with the transfer's dump (WRITE).
SYNCMASTER_FUNCTION(syncmaster_start_run) {
    int64 transfer_id = pg::required_int8(fcinfo, 0, "transfer_id");
    std::optional<int64> id = pg::start.first_int8(
        pg::As::kCaller, {pg::int8_arg(transfer_id), pg::text_arg(core::run::kManual),
                          pg::text_arg(core::run_state::name(core::run_state::Status::kCreated))});
    // The rules checked a user's run; the system's INSERT is trusted, its call is not.
    if (pg::current_actor().actor.system) {
        pg::Probes lookup;
        core::run::check_credentials(*lookup.transfer(transfer_id), lookup);
    }
    PG_RETURN_INT64(*id);
}

// stop_run(run_id): CREATED → STOPPED at once, STARTED → SEND_STOP_SIGNAL (its worker learns it at
// its next heartbeat), anything else 55000 "Cannot stop run N. Current status is S". The run row
// is locked first, so a stop and a claim of one run take turns.
SYNCMASTER_FUNCTION(syncmaster_stop_run) {
    int64 run_id = pg::required_int8(fcinfo, 0, "run_id");
    pg::Result run = pg::lock_run_row.run(pg::As::kCaller, {pg::int8_arg(run_id)}, 1);
    if (run.empty()) {
        pg::run_not_found();
    }
    pg::authorize(core::permissions::Entity::kRun, core::permissions::Action::kUpdate,
                  pg::group_of_transfer(*run.int8(0, 0)));
    core::run_state::Status target =
        core::run_state::stop(run_id, core::run_state::require(run.text(0, 1).value_or("")));
    pg::stop.run(pg::As::kCaller,
                 {pg::int8_arg(run_id), pg::text_arg(core::run_state::name(target))});
    PG_RETURN_VOID();
}

// claim_run_id(queue_slug, worker) → bigint: the id of the oldest CREATED run of the queue, now
// STARTED for this worker with a lease of syncmaster.run_lease; NULL when none is free. Runs
// another worker holds are skipped, not waited for (FOR UPDATE SKIP LOCKED): each run is claimed
// exactly once. The system only.
SYNCMASTER_FUNCTION(syncmaster_claim_run) {
    pg::require_system("claim runs");
    std::optional<std::string> slug = pg::text_param(fcinfo, 0);
    std::optional<std::string> worker = pg::text_param(fcinfo, 1);
    if (!slug) {
        throw core::Error(core::sqlstate::kInvalidInput, "queue_slug is required");
    }
    pg::check(core::run::kWorker, worker);
    // SyncMaster's Celery workers run this database's runs: none is handed out twice.
    if (pg::guc::dispatcher() == pg::guc::Dispatcher::kCelery) {
        PG_RETURN_NULL();
    }
    pg::ensure_reaper_job();
    std::optional<int64> id =
        pg::claim.first_int8(pg::As::kTableOwner, {pg::text_arg(slug), pg::text_arg(worker)});
    if (!id) {
        // No run free, or no such queue: a worker polling a queue that is gone is told so.
        if (!pg::queue_with_slug.first_int8(pg::As::kTableOwner, {pg::text_arg(slug)})) {
            pg::Result named =
                pg::slugs_of_queues_named.run(pg::As::kTableOwner, {pg::text_arg(slug)});
            const std::optional<std::string> &slugs = named.text(0, 0);
            throw core::Error(
                core::sqlstate::kNotFound, "Queue not found",
                slugs ? "No queue has the slug \"" + *slug +
                            "\"; a queue of that name has the slug " + *slugs + "."
                      : "No queue has the slug \"" + *slug + "\".",
                "claim_run() takes a queue's slug (syncmaster.queue.slug, {group_id}-{name "
                "normalized}), not its name.");
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
    std::optional<int64> stop = pg::bounded_wait(run_id, [run_id]() {
        return pg::heartbeat.first_int8(pg::As::kTableOwner, {pg::int8_arg(run_id)});
    });
    if (!stop) {
        pg::Result run = pg::lock_run_row.run(pg::As::kCaller, {pg::int8_arg(run_id)}, 1);
        if (run.empty()) {
            pg::run_not_found();
        }
        throw core::Error(core::sqlstate::kInUse,
                          "Run " + std::to_string(run_id) + " is " + run.text(0, 1).value_or("") +
                              ", not running",
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
    std::optional<std::string> status = pg::text_param(fcinfo, 1);
    std::optional<std::string> url = pg::text_param(fcinfo, 2);
    pg::check(core::run::kLogUrl, url);
    const char *name = core::run_state::name(core::run::finish_status(status.value_or("")));
    std::optional<int64> finished = pg::bounded_wait(run_id, [run_id, name, &url]() {
        return pg::finish.first_int8(pg::As::kTableOwner,
                                     {pg::int8_arg(run_id), pg::text_arg(name), pg::text_arg(url)});
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
    pg::Result reaped = pg::reap.run(pg::As::kTableOwner);
    PG_RETURN_INT32(static_cast<int32>(reaped.processed));
}

// purge_runs(batch integer) → integer: removes up to `batch` runs that ended longer ago than
// syncmaster.run_retention (none while it is 0), oldest first, and returns how many. A run that
// has not ended is never removed. The system only; the pg_cron job syncmaster_purge_runs calls it
// every minute.
SYNCMASTER_FUNCTION(syncmaster_purge_runs) {
    pg::require_system("purge runs");
    int32 batch = PG_GETARG_INT32(0);
    if (batch < 1 || batch > 1000000) {
        throw core::Error(core::sqlstate::kInvalidInput, "batch should be between 1 and 1000000",
                          "Got " + std::to_string(batch) + ".");
    }
    int retention = pg::guc::run_retention_seconds();
    if (retention == 0) {
        PG_RETURN_INT32(0);
    }
    pg::Result purged =
        pg::purge.run(pg::As::kTableOwner, {pg::int8_arg(retention), pg::int8_arg(batch)});
    PG_RETURN_INT32(static_cast<int32>(purged.processed));
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
// A page of a transfer's runs, newest first, read from ix__run__transfer_id_created_at_id, which
// holds the order and the id: the page's ids come from an index-only scan however deep the page,
// and only the page's rows are read. Without filters `total` is the transfer's count kept in
// run_total; with them, counted once for the page (not a window over every matching row, which
// read and kept them all). Both run as the tables' owner: the caller was authorized to read the
// transfer, and whoever reads a transfer reads all its runs (the run table's policy), which the
// policy would otherwise test run by run.
Statement runs_page(
    "SELECT r.id, r.started_at, r.ended_at, r.status, r.type, r.log_url, r.worker,"
    " r.failure_reason,"
    " COALESCE((SELECT n.runs FROM syncmaster.run_total n WHERE n.transfer_id = $1), 0) "
    "FROM (SELECT p.id, p.created_at FROM syncmaster.run p WHERE p.transfer_id = $1"
    "      ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET ($3 - 1) * $2) k"
    " JOIN syncmaster.run r ON r.id = k.id "
    "ORDER BY k.created_at DESC, k.id DESC");
Statement filtered_runs_page(
    "SELECT r.id, r.started_at, r.ended_at, r.status, r.type, r.log_url, r.worker,"
    " r.failure_reason,"
    " (SELECT count(*) FROM syncmaster.run c WHERE c.transfer_id = $1"
    "   AND ($2::varchar[] IS NULL OR c.status = ANY ($2))"
    "   AND ($3::timestamptz IS NULL OR c.started_at >= $3)"
    "   AND ($4::timestamptz IS NULL OR c.started_at <= $4)) "
    "FROM syncmaster.run r "
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
    if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3)) {
        return pg::runs_page.return_rows(
            fcinfo, {pg::int8_arg(transfer_id), pg::int8_arg(page.size), pg::int8_arg(page.number)},
            pg::As::kTableOwner);
    }
    return pg::filtered_runs_page.return_rows(
        fcinfo,
        {pg::int8_arg(transfer_id), pg::function_arg(fcinfo, 1, VARCHARARRAYOID),
         pg::function_arg(fcinfo, 2, TIMESTAMPTZOID), pg::function_arg(fcinfo, 3, TIMESTAMPTZOID),
         pg::int8_arg(page.size), pg::int8_arg(page.number)},
        pg::As::kTableOwner);
}
