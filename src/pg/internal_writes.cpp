#include "pg/internal_writes.hpp"

#include "pg/entry.hpp"

namespace syncmaster::pg {

namespace {

int internal_writes = 0;
bool callback_registered = false;

void reset_internal_writes(XactEvent event, void *) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_COMMIT ||
        event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PARALLEL_COMMIT) {
        internal_writes = 0;
    }
}

}  // namespace

InternalWrites::InternalWrites() {
    if (!callback_registered) {
        pg_call([]() { RegisterXactCallback(reset_internal_writes, nullptr); });
        callback_registered = true;
    }
    ++internal_writes;
}

InternalWrites::~InternalWrites() {
    --internal_writes;
}

bool internal_write_in_progress() {
    return internal_writes > 0;
}

}  // namespace syncmaster::pg
