#include "run/rules.hpp"

#include "connection/rules.hpp"
#include "core/error.hpp"
#include "core/resource.hpp"

namespace syncmaster::core::run {

namespace {

using permissions::Entity;

std::string required_type(const std::optional<std::string> &type) {
    if (!type || (*type != kManual && *type != kScheduled)) {
        throw Error(sqlstate::kInvalidInput, "Input should be one of: MANUAL, SCHEDULED",
                    "Got \"" + type.value_or("") + "\".");
    }
    return *type;
}

run_state::Status required_status(const std::optional<std::string> &status) {
    return run_state::require(status.value_or(""));
}

std::optional<std::int64_t> group_of(std::int64_t transfer_id, Lookup &lookup) {
    return lookup.group_of_transfer(transfer_id);
}

// The lease of a row that enters status `to` from `from` (nullopt: a new row) by this actor.
std::optional<std::optional<std::int64_t>> lease(const identity::Actor &actor,
                                                 std::optional<run_state::Status> from,
                                                 run_state::Status to, const Row *old_row,
                                                 const Row &new_row, const Clock &clock) {
    const std::optional<std::int64_t> &given = new_row.lease_expires_at;
    if (!run_state::is_running(to)) {
        if (given) {
            return std::optional<std::int64_t>();
        }
        return std::nullopt;
    }
    if (!clock.leases) {
        return std::nullopt;
    }
    bool held = old_row != nullptr && old_row->lease_expires_at.has_value();
    std::int64_t renewed = clock.now + clock.lease;
    // The statement brings its own expiry.
    bool set_here = given && (!held || *given != *old_row->lease_expires_at);
    bool heartbeat = actor.system && from == to;
    bool starts = !from || !run_state::is_running(*from);
    if ((starts || heartbeat) && !set_here) {
        return std::optional(renewed);
    }
    if (!given) {  // a stop request that cleared the lease keeps the one it had
        return std::optional(held ? *old_row->lease_expires_at : renewed);
    }
    return std::nullopt;
}

}  // namespace

Outcome on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup,
                  const Clock &clock) {
    std::optional<Lookup::TransferFacts> transfer = lookup.transfer(row.transfer_id);
    resource::authorize_insert(actor, Entity::kRun,
                               transfer ? std::optional(transfer->group_id) : std::nullopt, lookup);
    std::string type = required_type(row.type);
    run_state::Status status = required_status(row.status);
    Outcome out;
    if (!actor.system) {
        if (status != run_state::Status::kCreated) {
            forbidden("A run starts as CREATED; workers (the system) move it on.");
        }
        if (type != kManual) {
            forbidden("Scheduled runs are made by the system, when pg_cron fires a transfer.");
        }
    }
    if (type == kScheduled && (!actor.system || row.empty_dump) && !fires(*transfer)) {
        throw Error(sqlstate::kInUse,
                    "Transfer " + std::to_string(row.transfer_id) + " is not scheduled",
                    "A SCHEDULED run is made when a scheduled transfer's pg_cron job fires.");
    }
    // A user's run needs credentials for both ends. The system's direct INSERT is trusted (a
    // restore, SyncMaster's server, which checked them itself, its test fixtures); the functions
    // that make runs to be run check them for everyone (check_credentials).
    out.build_dump = !actor.system || row.empty_dump;
    if (!actor.system) {
        check_credentials(*transfer, lookup);
    }
    out.stamps = run_state::stamps(run_state::Status::kCreated, status);
    if (actor.system) {
        out.stamps.started_at = out.stamps.started_at && !row.has_started_at;
        out.stamps.ended_at = out.stamps.ended_at && !row.has_ended_at;
    }
    // The run goes to its transfer's queue as of now, as SyncMaster sends its task there; the
    // system may bring another (a restore).
    if (!actor.system || !row.queue_id) {
        out.queue_id = transfer->queue_id;
    }
    out.lease_expires_at = lease(actor, std::nullopt, status, nullptr, row, clock);
    return out;
}

Outcome on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
                  Lookup &lookup, const Clock &clock) {
    std::optional<std::int64_t> group = group_of(old_row.transfer_id, lookup);
    resource::authorize_update(actor, Entity::kRun, group, group, lookup);
    run_state::Status from = required_status(old_row.status);
    run_state::Status written = required_status(new_row.status);
    run_state::Status to = run_state::stored(from, written);
    run_state::check(old_row.id, from, to);
    if (!actor.system && !run_state::is_stop_request(from, to)) {
        forbidden(
            "Users may ask a run to stop; workers (the system) claim, renew and finish runs.");
    }
    Outcome out;
    if (to != written) {
        out.status = to;
    }
    out.stamps = run_state::stamps(from, to);
    out.lease_expires_at = lease(actor, from, to, &old_row, new_row, clock);
    bool ends = run_state::is_running(from) && run_state::is_terminal(to);
    out.lease_expired_reason = ends && to == run_state::Status::kFailed &&
                               !new_row.has_failure_reason && old_row.lease_expires_at &&
                               *old_row.lease_expires_at < clock.now;
    out.log_url_from_template = actor.system && !run_state::is_terminal(from) &&
                                run_state::is_terminal(to) && !new_row.has_log_url;
    return out;
}

void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    resource::authorize_delete(actor, Entity::kRun, group_of(row.transfer_id, lookup), lookup);
}

run_state::Status finish_status(std::string_view text) {
    run_state::Status status = run_state::require(text);
    if (!run_state::is_terminal(status)) {
        throw Error(sqlstate::kInvalidInput, "A run finishes as FINISHED, FAILED or STOPPED",
                    "Got \"" + std::string(text) + "\".");
    }
    return status;
}

void check_credentials(const Lookup::TransferFacts &transfer, Lookup &lookup) {
    for (std::int64_t connection : {transfer.target_connection_id, transfer.source_connection_id}) {
        if (!lookup.has_credentials(connection)) {
            connection::credentials_not_set(connection);
        }
    }
}

bool fires(const Lookup::TransferFacts &transfer) {
    return transfer.is_scheduled;
}

std::string lease_expired(const std::optional<std::string> &worker, const std::string &expired_at) {
    return "The lease of worker " + worker.value_or("(unnamed)") + " expired at " + expired_at +
           " without a heartbeat";
}

std::string log_url(const std::string &tmpl, std::int64_t run_id, std::int64_t transfer_id,
                    const std::string &queue_slug) {
    std::string out;
    for (std::size_t i = 0; i < tmpl.size();) {
        auto take = [&](const char *placeholder, const std::string &value) {
            std::size_t n = std::char_traits<char>::length(placeholder);
            if (tmpl.compare(i, n, placeholder) == 0) {
                out += value;
                i += n;
                return true;
            }
            return false;
        };
        if (take("{run_id}", std::to_string(run_id)) ||
            take("{transfer_id}", std::to_string(transfer_id)) || take("{queue}", queue_slug)) {
            continue;
        }
        out += tmpl[i++];
    }
    return out;
}

}  // namespace syncmaster::core::run
