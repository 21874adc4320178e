// The extension's settings (syncmaster.*), defined when the library loads.
#pragma once

namespace syncmaster::pg::guc {

// Defines every setting and reserves the prefix "syncmaster.", so that a misspelt setting is
// reported instead of silently ignored. PostgreSQL-regime: called from _PG_init.
void define_settings();

// syncmaster.acting_user, "" when not set.
const char *acting_user();

}  // namespace syncmaster::pg::guc
