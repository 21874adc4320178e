// SQL functions of identity: syncmaster.current_user_id() and syncmaster.whoami().
#include "core/identity.hpp"

#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/relations.hpp"

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

// trigram_similar(a text, b text) → boolean (STRICT): pg_trgm's a % b, its similarity_op() found
// in the schema pg_trgm is installed in, once per call site.
SYNCMASTER_FUNCTION(syncmaster_trigram_similar) {
    return pg::pg_call([fcinfo]() {
        auto *similar = static_cast<FmgrInfo *>(fcinfo->flinfo->fn_extra);
        if (similar == nullptr) {
            Oid schema = pg::extension_schema("pg_trgm");
            Oid argtypes[2] = {TEXTOID, TEXTOID};
            Oid function = LookupFuncName(list_make2(makeString(get_namespace_name(schema)),
                                                     makeString(pstrdup("similarity_op"))),
                                          2, argtypes, false);
            similar = static_cast<FmgrInfo *>(
                MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FmgrInfo)));
            fmgr_info_cxt(function, similar, fcinfo->flinfo->fn_mcxt);
            fcinfo->flinfo->fn_extra = similar;
        }
        return FunctionCall2Coll(similar, DEFAULT_COLLATION_OID, PG_GETARG_DATUM(0),
                                 PG_GETARG_DATUM(1));
    });
}
