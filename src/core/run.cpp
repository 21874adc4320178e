#include "core/run.hpp"

#include "core/error.hpp"
#include "core/resource.hpp"

namespace syncmaster::core::run {

namespace {

using permissions::Entity;

std::string required_type(const std::optional<std::string> &type) {
    if (!type || (*type != "MANUAL" && *type != "SCHEDULED")) {
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

}  // namespace

Outcome on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup) {
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
        if (type != "MANUAL") {
            forbidden("Scheduled runs are made by the system, when pg_cron fires a transfer.");
        }
    }
    // A new run (anything but a restore, which brings its dump) needs credentials for both ends.
    out.build_dump = !actor.system || row.empty_dump;
    for (std::int64_t connection :
         {transfer->target_connection_id, transfer->source_connection_id}) {
        if (out.build_dump && !lookup.has_credentials(connection)) {
            throw Error(sqlstate::kInUse,
                        "Credentials not set for connection " + std::to_string(connection),
                        "A copied connection has none.",
                        "Give it credentials with syncmaster.update_connection().");
        }
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
    return out;
}

Outcome on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
                  Lookup &lookup) {
    std::optional<std::int64_t> group = group_of(old_row.transfer_id, lookup);
    resource::authorize_update(actor, Entity::kRun, group, group, lookup);
    run_state::Status from = required_status(old_row.status);
    run_state::Status to = required_status(new_row.status);
    run_state::check(old_row.id, from, to);
    if (!actor.system) {
        bool stop =
            (from == run_state::Status::kCreated && to == run_state::Status::kStopped) ||
            (from == run_state::Status::kStarted && to == run_state::Status::kSendStopSignal);
        if (!stop) {
            forbidden(
                "Users may ask a run to stop; workers (the system) claim, renew and finish "
                "runs.");
        }
    }
    Outcome out;
    out.stamps = run_state::stamps(from, to);
    return out;
}

void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    resource::authorize_delete(actor, Entity::kRun, group_of(row.transfer_id, lookup), lookup);
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
