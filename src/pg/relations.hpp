// Where the extension's tables are, and index probes that read them without SQL.
//
// Identity and permission checks read "user", "group", user_group and transfer through their
// indexes directly: that is fast, needs no plan, and does not depend on what row-level security
// lets the caller see. The OIDs and column numbers are resolved once per backend and forgotten on
// any relcache invalidation of them (DROP/CREATE EXTENSION included).
// Every function here is PostgreSQL-regime: call it inside pg_call().
#pragma once

#include "pg/pg.hpp"

namespace syncmaster::pg {

inline constexpr const char *kSchema = "syncmaster";

// The relations and columns the adapter reads directly.
struct Catalog {
    Oid user_rel, user_pk, user_username_idx;
    AttrNumber user_id, user_username, user_is_active, user_is_superuser;

    Oid group_rel, group_pk, group_owner_idx, group_name_idx;
    AttrNumber group_id, group_name, group_owner_id;

    Oid user_group_rel, user_group_pk;
    AttrNumber user_group_user_id, user_group_group_id, user_group_role;

    Oid transfer_rel, transfer_pk;
    AttrNumber transfer_id, transfer_group_id;

    Oid owner;  // the role that owns the tables: the extension's installer
};

// The catalog of the extension in this database; ERROR when it is not installed.
const Catalog &catalog();

// The snapshot a lookup sees: the statement's, so earlier commands of the transaction count.
Snapshot lookup_snapshot();

// Calls read(tuple, descriptor) for each row of `relid` whose index `indexid` matches the keys
// (heap column numbers and int8 or text values), at most `limit` rows (0: all). Returns the number
// of rows read.
struct ProbeKey {
    AttrNumber column;
    Datum value;
    bool is_text;  // text/varchar compared with the column's collation; else int8
};

template <typename Reader>
int probe(Oid relid, Oid indexid, int nkeys, const ProbeKey *keys, int limit, Reader read);

// Implementation details of probe().
Relation probe_open(Oid relid, int nkeys, const ProbeKey *keys, ScanKeyData *scankeys);

template <typename Reader>
int probe(Oid relid, Oid indexid, int nkeys, const ProbeKey *keys, int limit, Reader read) {
    ScanKeyData scankeys[4];
    Relation rel = probe_open(relid, nkeys, keys, scankeys);
    SysScanDesc scan = systable_beginscan(rel, indexid, true, lookup_snapshot(), nkeys, scankeys);
    int rows = 0;
    HeapTuple tuple;
    while ((limit == 0 || rows < limit) && HeapTupleIsValid(tuple = systable_getnext(scan))) {
        read(tuple, RelationGetDescr(rel));
        ++rows;
    }
    systable_endscan(scan);
    table_close(rel, NoLock);
    return rows;
}

}  // namespace syncmaster::pg
