// transfer rows: the rules trigger (core::transfer), the AFTER trigger that keeps each scheduled
// transfer's pg_cron job in step inside the same transaction, and the functions pg_cron and users
// call about schedules: fire_scheduled_transfer() and schedule_next().
#include "transfer/cron.hpp"
#include "run/rules.hpp"
#include "core/error.hpp"
#include "transfer/rules.hpp"

#include <array>
#include <string>

#include "pg/api.hpp"
#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/guc.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

// The documents of a transfer row; the rules trigger reads only those it must check.
constexpr const char *kDocuments[] = {"source_params", "target_params", "strategy_params",
                                      "transformations", "resources"};
constexpr int kDocumentCount = 5;
using Documents = std::array<bool, kDocumentCount>;  // which of kDocuments to read
constexpr Documents kAllDocuments = {true, true, true, true, true};
constexpr Documents kNoDocuments = {};

// The text columns the rules compare: read unless the UPDATE left their bytes as they were (then
// both rows leave them unread, nullopt, so equal; a change of is_scheduled reads the schedule).
struct Texts {
    bool name = true;
    bool schedule = true;
};

core::transfer::Row read_transfer(const RowValues &values, const Documents &read,
                                  Texts texts = {}) {
    core::transfer::Row r;
    r.id = as_int8(values["id"]).value_or(0);
    r.group_id = as_int8(values["group_id"]).value_or(0);
    if (texts.name) {
        r.name = as_text(values["name"]);
    }
    r.source_connection_id = as_int8(values["source_connection_id"]).value_or(0);
    r.target_connection_id = as_int8(values["target_connection_id"]).value_or(0);
    r.queue_id = as_int8(values["queue_id"]).value_or(0);
    std::optional<std::string> *documents[kDocumentCount] = {
        &r.source_params, &r.target_params, &r.strategy_params, &r.transformations, &r.resources};
    for (int i = 0; i < kDocumentCount; ++i) {
        if (read[i]) {
            *documents[i] = as_jsonb_text(values[kDocuments[i]]);
        }
    }
    r.is_scheduled = as_bool(values["is_scheduled"]);
    if (texts.schedule) {
        r.schedule = as_text(values["schedule"]);
    }
    return r;
}

// UPDATE: the documents whose stored bytes changed, or that are checked against a changed
// connection or queue. The others stay unread in both rows (nullopt, so equal), and a large
// TOASTed document is neither fetched nor turned into text by an UPDATE of the description.
Documents documents_to_check(const RowValues &old_values, const RowValues &values) {
    Documents read;
    for (int i = 0; i < kDocumentCount; ++i) {
        read[i] = !values.same(old_values, kDocuments[i]);
    }
    // Params and strategy are checked together, against the connections (and the queue).
    if (read[0] || read[1] || read[2] || !values.same(old_values, "source_connection_id") ||
        !values.same(old_values, "target_connection_id") || !values.same(old_values, "queue_id")) {
        read[0] = read[1] = read[2] = true;
    }
    return read;
}

// The row with the normalized documents and schedule, leaving out those already stored as they
// are (most INSERTs send normalized documents: no jsonb is built again).
HeapTuple write_back(const TriggerData *trigger, HeapTuple tuple, const core::transfer::Row &row,
                     const core::transfer::Outcome &out) {
    const std::optional<std::string> *written[kDocumentCount] = {
        &out.source_params, &out.target_params, &out.strategy_params, &out.transformations,
        &out.resources};
    const std::optional<std::string> *stored[kDocumentCount] = {
        &row.source_params, &row.target_params, &row.strategy_params, &row.transformations,
        &row.resources};
    RowChanges changes(trigger);
    for (int i = 0; i < kDocumentCount; ++i) {
        if (*written[i] && *written[i] != *stored[i]) {
            changes.set_jsonb(kDocuments[i], **written[i]);
        }
    }
    if (out.schedule && out.schedule != row.schedule) {
        changes.set_text("schedule", *out.schedule);
    }
    return changes.apply(tuple);
}

// Whether pg_cron is installed in this database.
bool pg_cron_installed() {
    return pg_call([]() { return OidIsValid(get_extension_oid("pg_cron", true)); });
}

// Whether pg_cron's jobs fire the schedules (syncmaster.scheduler): otherwise SyncMaster's
// scheduler does, and transfers get no job.
bool pg_cron_schedules() {
    return guc::scheduler() == guc::Scheduler::kPgCron;
}

// A scheduled transfer needs pg_cron here when pg_cron fires the schedules, and this library
// preloaded: DROP EXTENSION removes the jobs through a hook that only a preloaded library has in
// every session.
void check_scheduling_possible() {
    if (pg_cron_schedules() && !pg_cron_installed()) {
        throw core::Error(core::sqlstate::kInUse, "pg_cron is not installed in this database",
                          "A scheduled transfer runs as a pg_cron job.",
                          "Add pg_cron to shared_preload_libraries, set cron.database_name to "
                          "this database, restart the server and run CREATE EXTENSION pg_cron; or "
                          "leave the transfer unscheduled.");
    }
    if (!loaded_at_server_start()) {
        throw core::Error(core::sqlstate::kInUse,
                          "scheduled transfers need pg_syncmaster in shared_preload_libraries",
                          "Its jobs are removed with the extension by a hook of the preloaded "
                          "library.",
                          "Add pg_syncmaster to shared_preload_libraries in postgresql.conf and "
                          "restart the server.");
    }
}

Statement schedule_job("SELECT cron.schedule($1, $2, $3)");
Statement unschedule_job(
    "SELECT cron.unschedule(j.jobid) FROM cron.job j "
    "WHERE j.jobname OPERATOR(pg_catalog.=) $1 AND j.username OPERATOR(pg_catalog.=) CURRENT_USER "
    "AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database()");

// Schedules (or reschedules) the transfer's job, or removes it when it has one and is not
// scheduled. As the extension's owner: pg_cron runs a job as the role that scheduled it, so the
// job keeps running whatever happens to the user who asked for it, and runs as the system.
void sync_job(std::int64_t transfer_id, bool scheduled, const std::string &schedule) {
    std::string name = core::transfer::job_name(transfer_id);
    if (!scheduled) {
        unschedule_job.run(As::kTableOwner, {text_arg(name)});
        return;
    }
    schedule_job.run(As::kTableOwner, {text_arg(name), text_arg(core::cron::pg_cron_form(schedule)),
                                       text_arg(core::transfer::job_command(transfer_id))});
}

TimestampTz to_timestamptz(std::int64_t epoch_seconds) {
    return static_cast<TimestampTz>(epoch_seconds - 946684800LL) * USECS_PER_SEC;
}

std::int64_t to_epoch(TimestampTz t) {
    std::int64_t seconds = t / USECS_PER_SEC;
    if (t < 0 && t % USECS_PER_SEC != 0) {
        --seconds;
    }
    return seconds + 946684800LL;
}

}  // namespace

// The connections and the queue a transfer names, locked before the rules look them up
// (lock_referenced).
void lock_references(const core::transfer::Row &row) {
    const std::int64_t connections[2] = {row.source_connection_id, row.target_connection_id};
    lock_referenced(Referenced::kConnection, connections, 2);
    lock_referenced(Referenced::kQueue, &row.queue_id, 1);
}

// The column rights of transfer (core/columns.hpp).
constexpr core::columns::Table kTransferColumns =
    core::columns::table("transfer", core::transfer::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON transfer, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_transfer_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.transfer_rules");
    const TriggerData *trigger = fired.trigger;
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kTransferColumns, actor);
    pg::Probes lookup;
    switch (fired.event) {
        case pg::RowEvent::kInsert: {
            core::transfer::Row row =
                pg::read_transfer(pg::RowValues(trigger, fired.new_row()), pg::kAllDocuments);
            pg::lock_references(row);
            core::transfer::Outcome out = core::transfer::on_insert(actor, row, lookup);
            if (row.is_scheduled) {
                pg::check_scheduling_possible();
            }
            return PointerGetDatum(pg::write_back(trigger, fired.new_row(), row, out));
        }
        case pg::RowEvent::kUpdate: {
            pg::RowValues old_values(trigger, fired.old_row());
            pg::RowValues values(trigger, fired.new_row());
            pg::Documents read = pg::documents_to_check(old_values, values);
            pg::Texts texts{
                !values.same(old_values, "name"),
                !values.same(old_values, "schedule") || !values.same(old_values, "is_scheduled")};
            core::transfer::Row old_row = pg::read_transfer(old_values, read, texts);
            core::transfer::Row row = pg::read_transfer(values, read, texts);
            if (row.source_connection_id != old_row.source_connection_id ||
                row.target_connection_id != old_row.target_connection_id ||
                row.queue_id != old_row.queue_id) {
                pg::lock_references(row);
            }
            core::transfer::Outcome out = core::transfer::on_update(actor, old_row, row, lookup);
            if (row.is_scheduled && out.schedule) {
                pg::check_scheduling_possible();
            }
            return PointerGetDatum(pg::write_back(trigger, fired.new_row(), row, out));
        }
        case pg::RowEvent::kDelete:
            // The transfer groups cached for its runs go with it.
            pg::forget_lookups(trigger);
            core::transfer::on_delete(
                actor, pg::read_transfer(pg::RowValues(trigger, fired.old_row()), pg::kNoDocuments),
                lookup);
            break;
    }
    return fired.proceed();
}

// AFTER INSERT OR UPDATE OF is_scheduled, schedule OR DELETE ON transfer, FOR EACH ROW: the
// transfer's pg_cron job follows, in this transaction (a rollback takes it back).
SYNCMASTER_FUNCTION(syncmaster_transfer_schedule) {
    pg::Fired fired = pg::fired_after_row(fcinfo, "syncmaster.transfer_schedule");
    struct Change {
        int64 id = 0;
        bool scheduled = false;
        bool was_scheduled = false;
        std::string schedule;
    };
    auto read = [&fired](HeapTuple tuple) {
        pg::RowValues values(fired.trigger, tuple);
        Change c;
        c.id = pg::as_int8(values["id"]).value_or(0);
        c.scheduled = pg::as_bool(values["is_scheduled"]);
        c.schedule = pg::as_text(values["schedule"]).value_or("");
        return c;
    };
    Change change = read(fired.event == pg::RowEvent::kDelete ? fired.old_row() : fired.new_row());
    if (fired.event == pg::RowEvent::kDelete) {
        change.was_scheduled = change.scheduled;
        change.scheduled = false;
    } else if (fired.event == pg::RowEvent::kUpdate) {
        change.was_scheduled = read(fired.old_row()).scheduled;
    }
    // Under SyncMaster's scheduler a transfer has no job: one left from before goes.
    bool job = change.scheduled && pg::pg_cron_schedules();
    if (job || ((change.was_scheduled || change.scheduled) && pg::pg_cron_installed())) {
        pg::sync_job(change.id, job, change.schedule);
    }
    return PointerGetDatum(nullptr);
}

namespace syncmaster::pg {
namespace {
Statement insert_scheduled_run(
    "INSERT INTO syncmaster.run (transfer_id, type, status) VALUES ($1, $2, $3) RETURNING id");
}  // namespace
}  // namespace syncmaster::pg

// fire_scheduled_transfer(transfer_id bigint) → bigint: what a transfer's pg_cron job runs. As
// the system, creates a SCHEDULED run when the transfer exists and is scheduled, and returns its
// id; NULL otherwise.
SYNCMASTER_FUNCTION(syncmaster_fire_scheduled_transfer) {
    if (!pg::current_actor().actor.system) {
        core::forbidden(
            "Only the system (pg_cron's jobs, a syncmaster_service member, or a superuser) fires "
            "scheduled transfers.");
    }
    int64 transfer_id = pg::required_int8(fcinfo, 0, "transfer_id");
    // A job left behind by a transfer unscheduled or deleted in the meantime makes nothing (the
    // run's rules would refuse a SCHEDULED run of it).
    pg::Probes lookup;
    std::optional<core::Lookup::TransferFacts> transfer = lookup.transfer(transfer_id);
    // Under SyncMaster's scheduler (syncmaster.scheduler), a job left from before makes nothing.
    if (!transfer || !core::run::fires(*transfer) || !pg::pg_cron_schedules()) {
        PG_RETURN_NULL();
    }
    core::run::check_credentials(*transfer, lookup);
    int64 run_id = *pg::insert_scheduled_run.first_int8(
        pg::As::kTableOwner,
        {pg::int8_arg(transfer_id), pg::text_arg(core::run::kScheduled),
         pg::text_arg(core::run_state::name(core::run_state::Status::kCreated))});
    PG_RETURN_INT64(run_id);
}

// _pg_cron_schedule(schedule text) → text: the schedule as its job is given it (@aliases as
// their five fields).
SYNCMASTER_FUNCTION(syncmaster_pg_cron_schedule) {
    const char *schedule =
        pg::pg_call([fcinfo]() { return text_to_cstring(PG_GETARG_TEXT_PP(0)); });
    std::string form = core::cron::pg_cron_form(schedule);
    const char *f = form.c_str();
    return pg::pg_call([f]() { return PointerGetDatum(cstring_to_text(f)); });
}

// schedule_times(schedule text, after timestamptz, n integer) → timestamptz[]: the next n fire
// times of a schedule after `after`, as pg_cron 1.4 fires them (UTC).
SYNCMASTER_FUNCTION(syncmaster_schedule_next) {
    struct Args {
        const char *schedule;
        TimestampTz after;
        int32 n;
    };
    Args args = pg::pg_call([fcinfo]() {
        return Args{text_to_cstring(PG_GETARG_TEXT_PP(0)), PG_GETARG_TIMESTAMPTZ(1),
                    PG_GETARG_INT32(2)};
    });
    if (args.n < 1 || args.n > 1000) {
        throw core::Error(core::sqlstate::kInvalidInput, "n must be from 1 to 1000",
                          "Got " + std::to_string(args.n) + ".");
    }
    std::vector<std::int64_t> times =
        core::cron::next(core::cron::parse(args.schedule), pg::to_epoch(args.after), args.n);
    std::vector<TimestampTz> stamps;
    for (std::int64_t t : times) {
        stamps.push_back(pg::to_timestamptz(t));
    }
    const TimestampTz *data = stamps.data();
    int count = static_cast<int>(stamps.size());
    return pg::pg_call([data, count]() {
        Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * (count > 0 ? count : 1)));
        for (int i = 0; i < count; ++i) {
            elems[i] = TimestampTzGetDatum(data[i]);
        }
        return PointerGetDatum(construct_array(elems, count, TIMESTAMPTZOID, sizeof(TimestampTz),
                                               true, TYPALIGN_DOUBLE));
    });
}

// _is_extension_job(jobname text, command text) → boolean (STRICT):
// core::transfer::is_extension_job.
SYNCMASTER_FUNCTION(syncmaster_is_extension_job) {
    const char *name = pg::text_argument(fcinfo, 0);
    const char *command = pg::text_argument(fcinfo, 1);
    PG_RETURN_BOOL(core::transfer::is_extension_job(name, command));
}

// _job_transfer(jobname text, command text) → bigint (STRICT): the transfer of one of the
// extension's transfer jobs, NULL for any other job (core::transfer::job_transfer).
SYNCMASTER_FUNCTION(syncmaster_job_transfer) {
    std::optional<std::int64_t> id = core::transfer::job_transfer(
        pg::text_param(fcinfo, 0).value_or(""), pg::text_param(fcinfo, 1).value_or(""));
    if (!id) {
        PG_RETURN_NULL();
    }
    PG_RETURN_INT64(*id);
}

// _job_name(transfer_id bigint) → text, _job_command(transfer_id bigint) → text (STRICT): the name
// and command of a transfer's job.
SYNCMASTER_FUNCTION(syncmaster_job_name) {
    std::string name = core::transfer::job_name(pg::required_int8(fcinfo, 0, "transfer_id"));
    const char *n = name.c_str();
    return pg::pg_call([n]() { return CStringGetTextDatum(n); });
}

SYNCMASTER_FUNCTION(syncmaster_job_command) {
    std::string command = core::transfer::job_command(pg::required_int8(fcinfo, 0, "transfer_id"));
    const char *c = command.c_str();
    return pg::pg_call([c]() { return CStringGetTextDatum(c); });
}

// _pg_cron_fires() → boolean: whether pg_cron's jobs fire the schedules (syncmaster.scheduler).
SYNCMASTER_FUNCTION(syncmaster_pg_cron_fires) {
    PG_RETURN_BOOL(pg::pg_cron_schedules());
}

// _job_prefix() → text: what every job name of the extension begins with.
SYNCMASTER_FUNCTION(syncmaster_job_prefix) {
    return pg::pg_call([]() { return CStringGetTextDatum(core::transfer::kJobPrefix); });
}
