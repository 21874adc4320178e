#include "pg/relations.hpp"

namespace syncmaster::pg {

Oid relation_oid(const char *relname) {
    Oid namespace_oid = get_namespace_oid(kSchema, true);
    if (!OidIsValid(namespace_oid)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("pg_syncmaster is not installed in this database"),
                        errhint("Run CREATE EXTENSION pg_syncmaster CASCADE.")));
    }
    Oid relid = get_relname_relid(relname, namespace_oid);
    if (!OidIsValid(relid)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation \"%s.%s\" does not exist", kSchema, relname)));
    }
    return relid;
}

AttrNumber column_number(Oid relid, const char *column) {
    AttrNumber attnum = get_attnum(relid, column);
    if (attnum == InvalidAttrNumber) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" of relation \"%s\" does not exist", column,
                               get_rel_name(relid))));
    }
    return attnum;
}

Snapshot lookup_snapshot() {
    return ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
}

}  // namespace syncmaster::pg
