#include "transfer/rules.hpp"

#include "transfer/cron.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/in_use.hpp"
#include "core/json.hpp"
#include "core/resource.hpp"
#include "transfer/params.hpp"

#include <cstdint>

namespace syncmaster::core::transfer {

namespace {

using permissions::Entity;
using transfer_params::Json;
using transfer_params::Side;

[[noreturn]] void invalid(const std::string &message, const std::string &detail = {}) {
    throw Error(sqlstate::kInvalidInput, message, detail);
}

Json document(const std::optional<std::string> &text, const char *what) {
    return text ? json::parse(*text, what) : Json(nullptr);
}

// Visible to the actor: at least READ in its group.
bool visible(const identity::Actor &actor, Entity entity, std::int64_t group_id, Lookup &lookup) {
    return permissions::level(actor, entity, lookup.standing(actor, group_id)) >=
           permissions::Level::kRead;
}

Lookup::ConnectionFacts connection(const identity::Actor &actor, std::int64_t id, Lookup &lookup) {
    std::optional<Lookup::ConnectionFacts> c = lookup.connection(id);
    if (!c || !visible(actor, Entity::kConnection, c->group_id, lookup)) {
        throw Error(sqlstate::kNotFound, "Connection not found");
    }
    return *c;
}

void check_type(const char *side, const std::string &connection_type, const Json &params) {
    const std::string &params_type = params["type"].get_ref<const std::string &>();
    if (params_type != connection_type) {
        invalid(std::string(side) + " connection has type `" + connection_type +
                "` but its params has `" + params_type + "` type");
    }
}

// The connections, the queue and the params, in SyncMaster's order: existence (target, source,
// queue), group, target type, source type, queue group.
void check_relations(const identity::Actor &actor, const Row &row, Lookup &lookup, Outcome &out) {
    Lookup::ConnectionFacts target = connection(actor, row.target_connection_id, lookup);
    Lookup::ConnectionFacts source = connection(actor, row.source_connection_id, lookup);
    std::optional<std::int64_t> queue_group = lookup.queue_group(row.queue_id);
    if (!queue_group || !visible(actor, Entity::kQueue, *queue_group, lookup)) {
        throw Error(sqlstate::kNotFound, "Queue not found");
    }
    if (source.group_id != row.group_id || target.group_id != row.group_id) {
        invalid("Connections should belong to the transfer group");
    }
    Json target_params = transfer_params::normalize_params(
        Side::kTarget, document(row.target_params, "target_params"));
    check_type("Target", target.type, target_params);
    Json source_params = transfer_params::normalize_params(
        Side::kSource, document(row.source_params, "source_params"));
    check_type("Source", source.type, source_params);
    if (*queue_group != row.group_id) {
        invalid("Queue should belong to the transfer group");
    }
    out.target_params = json::jsonb_text(target_params);
    out.source_params = json::jsonb_text(source_params);
    Json strategy = row.strategy_params ? document(row.strategy_params, "strategy_params")
                                        : Json{{"type", "full"}};
    out.strategy_params =
        json::jsonb_text(transfer_params::normalize_strategy(strategy, source.type));
}

void check_name(const Row &row, Lookup &lookup) {
    fields::check(kName, row.name);
    if (lookup.transfer_name_taken(row.group_id, *row.name, row.id)) {
        in_use::name_taken("transfer", kUniqueName);
    }
}

}  // namespace

void check_schedule_length(const std::optional<std::string> &schedule) {
    if (schedule && fields::characters(*schedule) > 32) {
        invalid("schedule: must have at most 32 characters");
    }
}

std::string check_schedule(bool is_scheduled, const std::optional<std::string> &schedule) {
    check_schedule_length(schedule);
    std::string text = schedule.value_or("");
    if (text.empty()) {
        if (is_scheduled) {
            invalid("schedule: If transfer must be scheduled then set schedule");
        }
        return text;
    }
    cron::parse(text);
    return text;
}

Outcome on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    resource::authorize_insert(actor, Entity::kTransfer, row.group_id, lookup);
    Outcome out;
    check_relations(actor, row, lookup, out);
    out.transformations = json::jsonb_text(transfer_params::normalize_transformations(
        document(row.transformations, "transformations")));
    out.resources = json::jsonb_text(
        transfer_params::normalize_resources(document(row.resources, "resources")));
    check_name(row, lookup);
    out.schedule = check_schedule(row.is_scheduled, row.schedule);
    return out;
}

Outcome on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
                  Lookup &lookup) {
    resource::authorize_update(actor, Entity::kTransfer, old_row.group_id, old_row.group_id,
                               lookup);
    Outcome out;
    // What did not change was checked when it was written: only the changes are checked again
    // (a change of the source connection re-checks the strategy, which depends on its type).
    if (new_row.source_connection_id != old_row.source_connection_id ||
        new_row.target_connection_id != old_row.target_connection_id ||
        new_row.queue_id != old_row.queue_id || new_row.source_params != old_row.source_params ||
        new_row.target_params != old_row.target_params ||
        new_row.strategy_params != old_row.strategy_params) {
        check_relations(actor, new_row, lookup, out);
    }
    if (new_row.transformations != old_row.transformations) {
        out.transformations = json::jsonb_text(transfer_params::normalize_transformations(
            document(new_row.transformations, "transformations")));
    }
    if (new_row.resources != old_row.resources) {
        out.resources = json::jsonb_text(
            transfer_params::normalize_resources(document(new_row.resources, "resources")));
    }
    if (new_row.name != old_row.name) {
        check_name(new_row, lookup);
    }
    if (new_row.schedule != old_row.schedule || new_row.is_scheduled != old_row.is_scheduled) {
        out.schedule = check_schedule(new_row.is_scheduled, new_row.schedule);
    }
    return out;
}

void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    resource::authorize_delete(actor, Entity::kTransfer, row.group_id, lookup);
}

std::string job_name(std::int64_t transfer_id) {
    return "syncmaster_transfer_" + std::to_string(transfer_id);
}

std::string job_command(std::int64_t transfer_id) {
    return "SELECT syncmaster.fire_scheduled_transfer(" + std::to_string(transfer_id) + ")";
}

bool is_extension_job(const std::string &name, const std::string &command) {
    if (name == kReaperJobName) {
        return command == kReaperJobCommand;
    }
    if (name == kPurgeJobName) {
        return command == kPurgeJobCommand;
    }
    return job_transfer(name, command).has_value();
}

std::optional<std::int64_t> job_transfer(const std::string &name, const std::string &command) {
    const std::string prefix = job_name(0).substr(0, job_name(0).size() - 1);
    if (name.compare(0, prefix.size(), prefix) != 0 || name.size() == prefix.size() ||
        name.size() > prefix.size() + 19) {
        return std::nullopt;
    }
    std::int64_t id = 0;
    for (std::size_t i = prefix.size(); i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9' || (i == prefix.size() && name[i] == '0')) {
            return std::nullopt;
        }
        if (id > (INT64_MAX - (name[i] - '0')) / 10) {
            return std::nullopt;
        }
        id = id * 10 + (name[i] - '0');
    }
    if (name != job_name(id) || command != job_command(id)) {
        return std::nullopt;
    }
    return id;
}

}  // namespace syncmaster::core::transfer
