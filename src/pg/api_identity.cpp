// SQL functions of identity: syncmaster.current_user_id() and syncmaster.whoami().
#include "core/identity.hpp"

#include "pg/entry.hpp"
#include "pg/identity.hpp"

using namespace syncmaster;

// current_user_id() → bigint: the acting user's id, NULL for the system.
SYNCMASTER_FUNCTION(syncmaster_current_user_id) {
    pg::ResolvedActor acting = pg::current_actor();
    if (acting.actor.system) {
        PG_RETURN_NULL();
    }
    PG_RETURN_INT64(acting.actor.user_id);
}

// whoami() → (id, username, is_superuser): the acting user; (NULL, NULL, true) for the system.
SYNCMASTER_FUNCTION(syncmaster_whoami) {
    pg::ResolvedActor acting = pg::current_actor();
    const bool system = acting.actor.system;
    const int64 id = acting.actor.user_id;
    const bool is_superuser = acting.actor.is_superuser;
    const char *username = acting.username.c_str();
    return pg::pg_call([fcinfo, system, id, is_superuser, username]() {
        TupleDesc desc;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("syncmaster.whoami must return a composite type")));
        }
        desc = BlessTupleDesc(desc);
        Datum values[3] = {Int64GetDatum(id), system ? Datum(0) : CStringGetTextDatum(username),
                           BoolGetDatum(is_superuser)};
        bool nulls[3] = {system, system, false};
        return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
    });
}
