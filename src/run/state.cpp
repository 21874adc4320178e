#include "run/state.hpp"

#include "core/error.hpp"

namespace syncmaster::core::run_state {

namespace {

constexpr std::pair<Status, const char *> kNames[] = {{Status::kCreated, "CREATED"},
                                                      {Status::kStarted, "STARTED"},
                                                      {Status::kFinished, "FINISHED"},
                                                      {Status::kFailed, "FAILED"},
                                                      {Status::kSendStopSignal, "SEND_STOP_SIGNAL"},
                                                      {Status::kStopped, "STOPPED"}};

}  // namespace

std::optional<Status> parse(std::string_view text) {
    for (const auto &[status, label] : kNames) {
        if (text == label) {
            return status;
        }
    }
    return std::nullopt;
}

Status require(std::string_view text) {
    if (auto status = parse(text)) {
        return *status;
    }
    throw Error(sqlstate::kInvalidInput,
                "Input should be one of: CREATED, STARTED, FINISHED, FAILED, SEND_STOP_SIGNAL, "
                "STOPPED",
                "Got \"" + std::string(text) + "\".");
}

const char *name(Status status) {
    for (const auto &[s, label] : kNames) {
        if (s == status) {
            return label;
        }
    }
    return "";
}

bool is_terminal(Status status) {
    return status == Status::kFinished || status == Status::kFailed || status == Status::kStopped;
}

bool is_running(Status status) {
    return status == Status::kStarted || status == Status::kSendStopSignal;
}

bool allowed(Status from, Status to) {
    if (is_terminal(from)) {
        return false;
    }
    if (from == to) {
        return true;
    }
    switch (from) {
        case Status::kCreated:
            return to == Status::kStarted || to == Status::kStopped || to == Status::kFailed;
        case Status::kStarted:
            return to == Status::kFinished || to == Status::kFailed ||
                   to == Status::kSendStopSignal;
        case Status::kSendStopSignal:
            return to == Status::kStopped || to == Status::kFinished || to == Status::kFailed;
        default:
            return false;
    }
}

Stamps stamps(Status from, Status to) {
    Stamps s;
    if (from == to) {
        return s;
    }
    s.started_at = to == Status::kStarted;
    s.ended_at = is_terminal(to);
    return s;
}

void check(std::int64_t run_id, Status from, Status to) {
    if (allowed(from, to)) {
        return;
    }
    if (is_terminal(from)) {
        throw Error(sqlstate::kInUse,
                    "Run " + std::to_string(run_id) + " is " + name(from) + " and cannot change");
    }
    throw Error(sqlstate::kInUse, "Cannot change the status of run " + std::to_string(run_id) +
                                      " from " + name(from) + " to " + name(to));
}

std::optional<Status> stop_target(Status current) {
    if (current == Status::kCreated) {
        return Status::kStopped;
    }
    if (current == Status::kStarted) {
        return Status::kSendStopSignal;
    }
    return std::nullopt;
}

bool is_stop_request(Status from, Status to) {
    return stop_target(from) == to;
}

Status stored(Status from, Status to) {
    if (from == Status::kCreated && to == Status::kSendStopSignal) {
        return Status::kStopped;
    }
    return to;
}

Status stop(std::int64_t run_id, Status current) {
    if (auto target = stop_target(current)) {
        return *target;
    }
    throw Error(sqlstate::kInUse, "Cannot stop run " + std::to_string(run_id) +
                                      ". Current status is " + name(current));
}

}  // namespace syncmaster::core::run_state
