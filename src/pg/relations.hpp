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

// The relations and columns identity and the standings read directly: users, groups, memberships,
// and a transfer's group (whose cached lookups the permission generation covers). Each entity's
// other tables are read through its own slice (catalog_slice below), declared beside it.
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

// A relation of the extension's schema, and a column of a relation; ERROR when missing.
Oid schema_relation(const char *relname);
// The schema an extension is installed in (PostgreSQL 15 exports no function for it); ERROR when
// it is not installed. PostgreSQL-regime.
Oid extension_schema(const char *name);
AttrNumber column(Oid relid, const char *name);

// A table's slice of the catalog, declared beside its entity: the OIDs and column numbers its
// adapter reads directly. T has `static T resolve()` (PostgreSQL-regime, with schema_relation and
// column) and `Oid relations[N]`, every relation and index it names. Resolved at the first use in
// a backend; forgotten on a relcache invalidation of any of them (DROP/CREATE EXTENSION included).
struct SliceState {
    bool valid;
    const Oid *relations;
    int count;
};
void register_slice(SliceState *slice);

template <typename T>
const T &catalog_slice() {
    static T value;
    static SliceState state{false, nullptr, 0};
    if (!state.valid) {
        value = T::resolve();
        state.relations = value.relations;
        state.count = static_cast<int>(sizeof(value.relations) / sizeof(Oid));
        register_slice(&state);
        state.valid = true;
    }
    return value;
}

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
