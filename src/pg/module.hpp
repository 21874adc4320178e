// The library itself: how it was loaded.
#pragma once

namespace syncmaster::pg {

// Whether the library was loaded by shared_preload_libraries, so that every session of the
// cluster has its settings and hooks from its first statement.
bool loaded_at_server_start();

}  // namespace syncmaster::pg
