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

    Oid transfer_rel, transfer_pk, transfer_source_idx, transfer_target_idx, transfer_queue_idx,
        transfer_name_idx;
    AttrNumber transfer_id, transfer_group_id, transfer_source_id, transfer_target_id,
        transfer_queue_id, transfer_name, transfer_is_scheduled;

    Oid connection_rel, connection_pk, connection_name_idx;
    AttrNumber connection_id, connection_name, connection_group_id, connection_type;

    Oid queue_rel, queue_pk, queue_group_idx;
    AttrNumber queue_id, queue_name, queue_slug, queue_group_id;

    Oid auth_data_rel, auth_data_pk;
    AttrNumber auth_data_connection_id;

    Oid owner;  // the role that owns the tables: the extension's installer
};

// The catalog of the extension in this database; ERROR when it is not installed.
const Catalog &catalog();

// Identity and permission lookups are cached per backend, across statements and transactions,
// and forgotten when what they read may have changed. The generation counts those moments:
//  * a relcache invalidation of "user", "group", user_group or transfer, which the rules
//    triggers send (CacheInvalidateRelcache) with every write to those tables, so that every
//    backend forgets at the writer's commit and the writer at its next command;
//  * a change of roles or role memberships (syscache invalidations);
//  * the abort of a transaction or subtransaction, whose changes a lookup may have seen.
// Reading the generation first processes the invalidations other backends queued, so every
// statement (every row, even) sees the memberships committed before it, inside a long
// transaction too. A lookup reads the generation, then takes a fresh snapshot, and stores its
// result only if the generation did not move meanwhile. (A commit becomes visible to snapshots an
// instant before its invalidations are queued; a statement starting in that instant may still
// answer from the cache once, as PostgreSQL's own catalog caches do.)
uint64 permissions_generation();

// Sends the invalidation that makes every backend forget its cached lookups of this relation's
// rows (at this transaction's commit; this backend at its next command). PostgreSQL-regime.
void invalidate_lookups(Oid relid);

// The snapshot a lookup sees: the latest, taken after the caller read the generation, so that
// earlier commands of this transaction and every commit before it count. Registered: release it
// with UnregisterSnapshot.
Snapshot lookup_snapshot();

// Whether a lookup made now may be kept: not in a parallel query, which reads with an older
// snapshot.
bool lookups_cacheable();

// A growable array in the current memory context, plain data that may cross pg_call(): for
// lookups that collect rows in PostgreSQL regime and hand them to C++. PostgreSQL-regime.
template <typename T>
struct PgArray {
    int count = 0;
    int capacity = 0;
    T *values = nullptr;

    void push(T value) {
        if (count == capacity) {
            capacity = capacity == 0 ? 16 : capacity * 2;
            values = static_cast<T *>(values == nullptr ? palloc(sizeof(T) * capacity)
                                                        : repalloc(values, sizeof(T) * capacity));
        }
        values[count++] = value;
    }
};

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
    Relation index = index_open(indexid, AccessShareLock);  // every lock before the snapshot
    Snapshot snapshot = lookup_snapshot();
    SysScanDesc scan = systable_beginscan(rel, indexid, true, snapshot, nkeys, scankeys);
    int rows = 0;
    HeapTuple tuple;
    while ((limit == 0 || rows < limit) && HeapTupleIsValid(tuple = systable_getnext(scan))) {
        read(tuple, RelationGetDescr(rel));
        ++rows;
    }
    systable_endscan(scan);
    UnregisterSnapshot(snapshot);
    index_close(index, NoLock);
    table_close(rel, NoLock);
    return rows;
}

}  // namespace syncmaster::pg
