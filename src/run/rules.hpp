// The rules of run rows: who starts, stops and moves runs, the
// state machine on every path, what never changes, and the credentials a run needs.
#pragma once

#include "core/pure.hpp"

#include "core/columns.hpp"
#include "core/identity.hpp"
#include "core/lookup.hpp"
#include "run/state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace syncmaster::core::run {

// Who writes each column (core/columns.hpp). A user starts a run and asks it to stop (status);
// everything else is the database's or the workers' (the system's).
inline constexpr columns::Column kColumns[] = {
    columns::kId,
    {"transfer_id", columns::OnInsert::kUser, columns::OnUpdate::kImmutable,
     columns::Stamp::kComputed, "The transfer of a run cannot change"},
    {"started_at", columns::OnInsert::kStamped, columns::OnUpdate::kSystem, columns::Stamp::kNull},
    {"ended_at", columns::OnInsert::kStamped, columns::OnUpdate::kSystem, columns::Stamp::kNull},
    columns::user_column("status"),
    {"type", columns::OnInsert::kUser, columns::OnUpdate::kImmutable, columns::Stamp::kComputed,
     "The type of a run cannot change"},
    {"log_url", columns::OnInsert::kStamped, columns::OnUpdate::kSystem, columns::Stamp::kNull},
    {"transfer_dump", columns::OnInsert::kStamped, columns::OnUpdate::kSystem},
    columns::kCreatedAt,
    columns::kUpdatedAt,
    {"worker", columns::OnInsert::kStamped, columns::OnUpdate::kSystem, columns::Stamp::kNull},
    {"lease_expires_at", columns::OnInsert::kStamped, columns::OnUpdate::kSystem,
     columns::Stamp::kNull},
    {"failure_reason", columns::OnInsert::kStamped, columns::OnUpdate::kSystem,
     columns::Stamp::kNull},
    {"queue_id", columns::OnInsert::kStamped, columns::OnUpdate::kSystem},
};

// run_total: the number of runs of each transfer, kept by the run table's statement triggers.
inline constexpr columns::Column kTotalColumns[] = {
    {"transfer_id", columns::OnInsert::kStamped, columns::OnUpdate::kImmutable},
    {"runs", columns::OnInsert::kStamped, columns::OnUpdate::kStamped},
};

inline constexpr fields::Text kWorker = fields::at_most("worker", fields::kWorkerMax);
inline constexpr fields::Text kLogUrl = fields::at_most("log_url", fields::kLogUrlMax);

// The two types of run, and who makes them: users start MANUAL runs, pg_cron's jobs SCHEDULED.
inline constexpr const char *kManual = "MANUAL";
inline constexpr const char *kScheduled = "SCHEDULED";

struct Row {
    std::int64_t id = 0;
    std::int64_t transfer_id = 0;
    std::optional<std::string> status;
    std::optional<std::string> type;
    bool empty_dump = true;  // transfer_dump is {} (or NULL); read for an INSERT only
    std::optional<std::int64_t> queue_id;
    bool has_started_at = false;  // started_at is set
    bool has_ended_at = false;    // ended_at is set
    std::optional<std::string> worker;
    std::optional<std::int64_t> lease_expires_at;  // microseconds, on the clock of Clock::now
    bool has_failure_reason = false;
    bool has_log_url = false;
};

// When the statement runs and how long a lease lasts, both in microseconds.
struct Clock {
    std::int64_t now = 0;
    std::int64_t lease = 0;
    // False when SyncMaster's Celery workers run the runs (syncmaster.dispatcher): they send no
    // heartbeats, so a run they start holds no lease and no reaper fails it.
    bool leases = true;
};

struct Outcome {
    bool build_dump = false;  // fill transfer_dump with the transfer as of now
    // The status to store instead of the one written (run_state::stored), when they differ.
    std::optional<run_state::Status> status;
    run_state::Stamps stamps;              // timestamps to set to now
    std::optional<std::int64_t> queue_id;  // the queue to store: its transfer's, at creation
    // The lease to store: a new expiry, or none (nullopt inside); unchanged when not engaged.
    std::optional<std::optional<std::int64_t>> lease_expires_at;
    // failure_reason: the reaper's, from the worker and the lease that expired (lease_expired).
    bool lease_expired_reason = false;
    // log_url: from syncmaster.log_url_template (log_url()), when a worker ends a run without one.
    bool log_url_from_template = false;
};

// The lease, on every path (the workers' functions are plain UPDATEs these rules judge): a run
// holds a lease exactly while it is running (STARTED, SEND_STOP_SIGNAL). A run that starts gets
// one of Clock::lease from now, unless the system brings its own; a system UPDATE that leaves a
// running run's status as it is (a heartbeat) renews it, unless it sets a new expiry itself; a
// stop request keeps it; any other status clears it. A run that fails after its lease expired, with
// no reason given, gets the reaper's reason; a run the system ends with no log_url gets one from
// the template.
//
// A user starts a MANUAL run in CREATED of a transfer it may write (P0002 "Transfer not found",
// 42501); the system may bring any run with its dump and queue (a restore). A user's run needs
// credentials for both connections (check_credentials; the system's INSERT is trusted, its dump
// then shows none), a new SCHEDULED run a scheduled transfer (55000); a new run gets the transfer
// as of now as its dump and the transfer's queue as its own. The dump is built unless the system
// brings one, and the times a run's status implies are stamped unless the system brings them (a
// restore keeps when its runs started and ended).
Outcome on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup, const Clock &clock);

// transfer_id and type never change (22023); the status follows the state machine (55000); a
// user may only ask a run to stop (CREATED → STOPPED, STARTED → SEND_STOP_SIGNAL; a
// SEND_STOP_SIGNAL written over CREATED is stored as STOPPED) and change nothing else (42501):
// claiming, heartbeats and finishing are the workers' (the system's).
Outcome on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
                  Lookup &lookup, const Clock &clock);

void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup);

// The status a worker ends a run with: FINISHED, FAILED or STOPPED (22023 otherwise).
run_state::Status finish_status(std::string_view text);

// A run of the transfer needs credentials for both its connections: 55000 "Credentials not set for
// connection N" (the target's first).
void check_credentials(const Lookup::TransferFacts &transfer, Lookup &lookup);

// Whether pg_cron's job of a transfer makes a run: only while the transfer is scheduled.
bool fires(const Lookup::TransferFacts &transfer);

// The reaper's failure_reason: the worker (or "(unnamed)") and when its lease expired.
std::string lease_expired(const std::optional<std::string> &worker, const std::string &expired_at);

// syncmaster.log_url_template with {run_id}, {transfer_id} and {queue} filled in.
std::string log_url(const std::string &tmpl, std::int64_t run_id, std::int64_t transfer_id,
                    const std::string &queue_slug);

}  // namespace syncmaster::core::run
