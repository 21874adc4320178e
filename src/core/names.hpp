// Names of groups' resources, and queues' slugs (DESIGN §5, SYNCMASTER.md §6).
#pragma once

#include "core/pure.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace syncmaster::core::names {

// A connection, transfer or queue name has 3 to 128 characters (UTF-8 code points). Throws
// Error 22023 "<what> name must have 3 to 128 characters".
void check_length(std::string_view what, std::string_view name);

// A queue name is also printable ASCII (space to ~). Throws Error 22023.
void check_queue_name(std::string_view name);

// SyncMaster's short form of a queue name: lower-cased, each run of characters other than a-z and
// 0-9 turned into one '_', '_' trimmed from both ends. "New queue!" → "new_queue".
std::string queue_short_name(std::string_view name);

// The slug "{group_id}-{short name}", fixed when the queue is created.
std::string queue_slug(std::int64_t group_id, std::string_view name);

}  // namespace syncmaster::core::names
