// The run state machine: which status may follow which, and which timestamps a
// transition sets. SyncMaster never sets STOPPED and lets a worker overwrite a stop request; here
// a stop before the claim is STOPPED at once, a stop of a running run asks the worker
// (SEND_STOP_SIGNAL), which acknowledges with STOPPED or ends FINISHED/FAILED, and the terminal
// states never change.
#pragma once

#include "core/pure.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace syncmaster::core::run_state {

enum class Status { kCreated, kStarted, kFinished, kFailed, kSendStopSignal, kStopped };

std::optional<Status> parse(std::string_view text);
// Error 22023 "Input should be one of: CREATED, STARTED, ..." for anything else.
Status require(std::string_view text);
const char *name(Status status);
bool is_terminal(Status status);
// STARTED or SEND_STOP_SIGNAL: a worker holds the run, under a lease.
bool is_running(Status status);

// Whether `to` may follow `from`: CREATED → STARTED | STOPPED | FAILED; STARTED → FINISHED |
// FAILED | SEND_STOP_SIGNAL; SEND_STOP_SIGNAL → STOPPED | FINISHED | FAILED. Staying is no
// transition (a lease renewed, say) and is allowed but in terminal states.
bool allowed(Status from, Status to);

// The timestamps a transition to `to` sets: started_at on STARTED, ended_at on a terminal state.
struct Stamps {
    bool started_at = false;
    bool ended_at = false;
};
Stamps stamps(Status from, Status to);

// Refuses what allowed() does not allow: 55000 "Run N is FINISHED and cannot change" for a
// terminal run, else 55000 "Cannot change the status of run N from S to T".
void check(std::int64_t run_id, Status from, Status to);

// What a stop request makes of a run: CREATED → STOPPED, STARTED → SEND_STOP_SIGNAL; nullopt for
// a run that cannot be stopped.
std::optional<Status> stop_target(Status current);
// Whether from → to is a stop request (the one change users may make of a run).
bool is_stop_request(Status from, Status to);
// The status a write of `to` over `from` stores: a stop signal sent to a run no worker holds
// (CREATED → SEND_STOP_SIGNAL, how SyncMaster's server stops any run) has no one to signal and is
// STOPPED at once, as stop_target() makes it; anything else stays `to`.
Status stored(Status from, Status to);
// stop_target, or 55000 "Cannot stop run N. Current status is S" (SyncMaster's message).
Status stop(std::int64_t run_id, Status current);

}  // namespace syncmaster::core::run_state
