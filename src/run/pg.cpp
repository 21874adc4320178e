// run rows: the rules trigger (core::run: permissions, the state machine, credentials, what never
// changes), which also fills transfer_dump and sets started_at/ended_at, and the AFTER trigger
// that announces every new run and status change on the channel syncmaster_runs.
#include "run/rules.hpp"

#include "core/error.hpp"

#include <string>

#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/guc.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/spi.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

// The row; `with_dump` reads transfer_dump, which only an INSERT needs (a claim, a heartbeat or a
// finish would otherwise fetch and print the whole transfer for nothing).
core::run::Row read_run(const TriggerData *trigger, HeapTuple tuple, bool with_dump = false) {
    RowValues values(trigger, tuple);
    core::run::Row r;
    r.id = as_int8(values["id"]).value_or(0);
    r.transfer_id = as_int8(values["transfer_id"]).value_or(0);
    r.status = as_text(values["status"]);
    r.type = as_text(values["type"]);
    if (with_dump) {
        std::optional<std::string> dump = as_jsonb_text(values["transfer_dump"]);
        r.empty_dump = !dump || *dump == "{}";
    }
    r.queue_id = as_int8(values["queue_id"]);
    r.has_started_at = !values["started_at"].isnull;
    r.has_ended_at = !values["ended_at"].isnull;
    r.worker = as_text(values["worker"]);
    ColumnValue lease = values["lease_expires_at"];
    if (!lease.isnull) {
        r.lease_expires_at = DatumGetTimestampTz(lease.datum);
    }
    r.has_failure_reason = !values["failure_reason"].isnull;
    r.has_log_url = !values["log_url"].isnull;
    return r;
}

core::run::Clock clock() {
    return {GetCurrentStatementStartTimestamp(),
            static_cast<std::int64_t>(guc::run_lease_seconds()) * USECS_PER_SEC,
            guc::dispatcher() != guc::Dispatcher::kCelery};
}

// A timestamptz as SQL prints it (DateStyle, TimeZone).
std::string timestamptz_text(std::int64_t value) {
    return pg_call([value]() {
        return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(value)));
    });
}

// What the run's rules decided, written into the row: times, lease, reason and log_url.
HeapTuple apply(const TriggerData *trigger, HeapTuple tuple, const core::run::Outcome &out,
                const core::run::Row &old_row, const core::run::Row &new_row) {
    RowChanges changes(trigger);
    TimestampTz now = GetCurrentStatementStartTimestamp();
    if (out.status) {
        changes.set_text("status", core::run_state::name(*out.status));
    }
    if (out.stamps.started_at) {
        changes.set_timestamptz("started_at", now);
    }
    if (out.stamps.ended_at) {
        changes.set_timestamptz("ended_at", now);
    }
    if (out.queue_id) {
        changes.set_int8("queue_id", *out.queue_id);
    }
    if (out.lease_expires_at) {
        if (*out.lease_expires_at) {
            changes.set_timestamptz("lease_expires_at", **out.lease_expires_at);
        } else {
            changes.set_null("lease_expires_at");
        }
    }
    if (out.lease_expired_reason) {
        changes.set_text(
            "failure_reason",
            core::run::lease_expired(old_row.worker, timestamptz_text(*old_row.lease_expires_at)));
    }
    if (out.log_url_from_template) {
        std::string tmpl = guc::log_url_template();
        if (!tmpl.empty()) {
            changes.set_text("log_url",
                             core::run::log_url(tmpl, new_row.id, new_row.transfer_id,
                                                queue_slug(new_row.queue_id.value_or(0))));
        }
    }
    return changes.apply(tuple);
}

Statement dump_of_transfer(
    "SELECT pg_catalog.jsonb_build_object("
    " 'id', t.id, 'name', t.name, 'group_id', t.group_id, 'queue_id', t.queue_id,"
    " 'source_connection_id', t.source_connection_id,"
    " 'target_connection_id', t.target_connection_id, 'is_scheduled', t.is_scheduled,"
    " 'description', t.description, 'schedule', t.schedule,"
    " 'source_params', t.source_params, 'target_params', t.target_params,"
    " 'strategy_params', t.strategy_params,"
    " 'source_connection', pg_catalog.jsonb_build_object('id', s.id, 'group_id', "
    "s.group_id,"
    "   'name', s.name, 'description', s.description, 'data', s.data,"
    "   'auth_data', syncmaster._credentials_public(sa.value)),"
    " 'target_connection', pg_catalog.jsonb_build_object('id', d.id, 'group_id', "
    "d.group_id,"
    "   'name', d.name, 'description', d.description, 'data', d.data,"
    "   'auth_data', syncmaster._credentials_public(da.value)))::text "
    "FROM syncmaster.transfer t"
    " JOIN syncmaster.connection s ON s.id OPERATOR(pg_catalog.=) t.source_connection_id"
    " JOIN syncmaster.connection d ON d.id OPERATOR(pg_catalog.=) t.target_connection_id"
    " LEFT JOIN syncmaster.auth_data sa"
    "   ON sa.connection_id OPERATOR(pg_catalog.=) t.source_connection_id"
    " LEFT JOIN syncmaster.auth_data da"
    "   ON da.connection_id OPERATOR(pg_catalog.=) t.target_connection_id "
    "WHERE t.id OPERATOR(pg_catalog.=) $1");

// The transfer and both its connections as of now, their credentials without secrets
// (SyncMaster's read_full_serialized_transfer), read as the tables' owner.
std::string transfer_dump(std::int64_t transfer_id) {
    Result r = dump_of_transfer.run(As::kTableOwner, {int8_arg(transfer_id)}, 1);
    if (r.empty() || !r.text(0, 0)) {
        throw core::Error(core::sqlstate::kNotFound, "Transfer not found");
    }
    return *r.text(0, 0);
}

}  // namespace

// The column rights of run (core/columns.hpp).
constexpr core::columns::Table kRunColumns = core::columns::table("run", core::run::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON run, FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_run_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.run_rules");
    const TriggerData *trigger = fired.trigger;
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kRunColumns, actor);
    pg::Probes lookup;
    switch (fired.event) {
        case pg::RowEvent::kInsert: {
            core::run::Row row = pg::read_run(trigger, fired.new_row(), true);
            core::run::Outcome out = core::run::on_insert(actor, row, lookup, pg::clock());
            HeapTuple tuple = fired.new_row();
            if (out.build_dump) {
                tuple = pg::with_jsonb(trigger, tuple, "transfer_dump",
                                       pg::transfer_dump(row.transfer_id));
            }
            return PointerGetDatum(pg::apply(trigger, tuple, out, row, row));
        }
        case pg::RowEvent::kUpdate: {
            core::run::Row old_row = pg::read_run(trigger, fired.old_row());
            core::run::Row new_row = pg::read_run(trigger, fired.new_row());
            core::run::Outcome out =
                core::run::on_update(actor, old_row, new_row, lookup, pg::clock());
            return PointerGetDatum(pg::apply(trigger, fired.new_row(), out, old_row, new_row));
        }
        case pg::RowEvent::kDelete:
            core::run::on_delete(actor, pg::read_run(trigger, fired.old_row()), lookup);
            break;
    }
    return fired.proceed();
}

// AFTER INSERT OR UPDATE OF status ON run, FOR EACH ROW: NOTIFY syncmaster_runs with an empty
// payload, delivered at commit (not at all after a rollback): for new runs and stop requests, or
// every change, or nothing (syncmaster.notify_runs).
SYNCMASTER_FUNCTION(syncmaster_run_notify) {
    pg::Fired fired = pg::fired_after_row(fcinfo, "syncmaster.run_notify");
    pg::RowValues row(fired.trigger, fired.new_row());
    std::optional<std::string> status = pg::as_text(row["status"]);
    bool changed = true;
    if (fired.event == pg::RowEvent::kUpdate) {
        changed = !row.same(pg::RowValues(fired.trigger, fired.old_row()), "status");
    }
    // By default only what workers act on: a new run, a stop request.
    pg::guc::NotifyRuns mode = pg::guc::notify_runs();
    using core::run_state::Status;
    std::optional<Status> now = core::run_state::parse(status.value_or(""));
    bool for_workers = now == Status::kCreated || now == Status::kSendStopSignal;
    if (!changed || mode == pg::guc::NotifyRuns::kNone ||
        (mode == pg::guc::NotifyRuns::kWorkers && !for_workers)) {
        return PointerGetDatum(nullptr);
    }
    // Any role may LISTEN on any channel, so the notification says nothing but "there may be
    // work": no queue, group, transfer or run. A worker claims, and believes what claim_run()
    // returns. (PostgreSQL sends one notification of a channel and payload per transaction.)
    pg::pg_call([]() { Async_Notify("syncmaster_runs", ""); });
    return PointerGetDatum(nullptr);
}
