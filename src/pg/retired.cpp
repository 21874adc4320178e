// Entry points of released versions that the current one no longer has. The install script of a
// release names each C function's symbol, and CREATE FUNCTION looks it up, so installing an older
// release (and updating it, as ALTER EXTENSION UPDATE does) needs every symbol any release named.
// The update script drops the SQL functions; should one still be called, it refuses.
#include "pg/entry.hpp"

namespace {

[[noreturn]] void retired(const char *function, const char *version) {
    syncmaster::pg::pg_call([function, version]() {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s was retired in pg_syncmaster %s", function, version),
                        errhint("Update the extension: ALTER EXTENSION pg_syncmaster UPDATE.")));
    });
    __builtin_unreachable();
}

}  // namespace

// check_input(entity, field, value): the API functions check their arguments in C++ (0.3.0).
SYNCMASTER_FUNCTION(syncmaster_check_input) {
    retired("syncmaster.check_input()", "0.3.0");
}

// _seal_credentials, _credentials_full: the connection API seals and opens credentials in C++
// (0.3.0).
SYNCMASTER_FUNCTION(syncmaster_seal_credentials) {
    retired("syncmaster._seal_credentials()", "0.3.0");
}

SYNCMASTER_FUNCTION(syncmaster_credentials_full) {
    retired("syncmaster._credentials_full()", "0.3.0");
}
