// Names of groups' resources, and queues' slugs.
#pragma once

#include "core/pure.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace syncmaster::core::names {

// A queue name is printable ASCII (space to ~); its length is a name's (core/fields). Throws
// Error 22023.
void check_queue_name(std::string_view name);

// SyncMaster's short form of a queue name: lower-cased, each run of characters other than a-z and
// 0-9 turned into one '_', '_' trimmed from both ends. "New queue!" → "new_queue".
std::string queue_short_name(std::string_view name);

// The slug "{group_id}-{short name}", fixed when the queue is created.
std::string queue_slug(std::int64_t group_id, std::string_view name);

}  // namespace syncmaster::core::names
