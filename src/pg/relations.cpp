#include "pg/relations.hpp"

namespace syncmaster::pg {

namespace {

Catalog cached;
bool cached_valid = false;
bool callback_registered = false;
uint64 generation = 1;

constexpr int kMaxSlices = 16;
SliceState *slices[kMaxSlices];
int slice_count = 0;

void forget_catalog(Datum, Oid relid) {
    for (int s = 0; s < slice_count; ++s) {
        for (int i = 0; i < slices[s]->count; ++i) {
            if (relid == InvalidOid || slices[s]->relations[i] == relid) {
                slices[s]->valid = false;
                break;
            }
        }
    }
    if (relid == InvalidOid || !cached_valid || relid == cached.user_rel ||
        relid == cached.group_rel || relid == cached.user_group_rel ||
        relid == cached.transfer_rel) {
        ++generation;
    }
    if (!cached_valid) {
        return;
    }
    const Oid mine[] = {cached.user_rel,       cached.user_pk,        cached.user_username_idx,
                        cached.group_rel,      cached.group_pk,       cached.group_owner_idx,
                        cached.group_name_idx, cached.user_group_rel, cached.user_group_pk,
                        cached.transfer_rel,   cached.transfer_pk};
    for (Oid oid : mine) {
        if (relid == InvalidOid || relid == oid) {
            cached_valid = false;
            return;
        }
    }
}

Oid namespace_oid() {
    Oid oid = get_namespace_oid(kSchema, true);
    if (!OidIsValid(oid)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("pg_syncmaster is not installed in this database"),
                        errhint("Run CREATE EXTENSION pg_syncmaster CASCADE.")));
    }
    return oid;
}

void forget_roles(Datum, int, uint32) {
    ++generation;
}

void forget_on_abort(XactEvent event, void *) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) {
        ++generation;
    }
}

void forget_on_subabort(SubXactEvent event, SubTransactionId, SubTransactionId, void *) {
    if (event == SUBXACT_EVENT_ABORT_SUB) {
        ++generation;
    }
}

void register_callbacks() {
    if (callback_registered) {
        return;
    }
    CacheRegisterRelcacheCallback(forget_catalog, (Datum)0);
    CacheRegisterSyscacheCallback(AUTHOID, forget_roles, (Datum)0);
    CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, forget_roles, (Datum)0);
    RegisterXactCallback(forget_on_abort, nullptr);
    RegisterSubXactCallback(forget_on_subabort, nullptr);
    callback_registered = true;
}

}  // namespace

Oid relation(Oid nsp, const char *relname) {
    Oid relid = get_relname_relid(relname, nsp);
    if (!OidIsValid(relid)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation \"%s.%s\" does not exist", kSchema, relname)));
    }
    return relid;
}

AttrNumber column(Oid relid, const char *name) {
    AttrNumber attnum = get_attnum(relid, name);
    if (attnum == InvalidAttrNumber) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" of relation \"%s\" does not exist", name,
                               get_rel_name(relid))));
    }
    return attnum;
}

Oid extension_schema(const char *name) {
    Oid extension = get_extension_oid(name, false);
    Relation rel = table_open(ExtensionRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(extension));
    SysScanDesc scan = systable_beginscan(rel, ExtensionOidIndexId, true, nullptr, 1, &key);
    HeapTuple tuple = systable_getnext(scan);
    Oid schema = HeapTupleIsValid(tuple)
                     ? reinterpret_cast<Form_pg_extension>(GETSTRUCT(tuple))->extnamespace
                     : InvalidOid;
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    return schema;
}

Oid schema_relation(const char *relname) {
    return relation(namespace_oid(), relname);
}

void register_slice(SliceState *slice) {
    register_callbacks();
    for (int s = 0; s < slice_count; ++s) {
        if (slices[s] == slice) {
            return;
        }
    }
    if (slice_count == kMaxSlices) {
        elog(ERROR, "too many catalog slices");
    }
    slices[slice_count++] = slice;
}

uint64 permissions_generation() {
    register_callbacks();
    // PostgreSQL reads the invalidation queue only when a transaction starts or takes a lock it
    // does not hold yet, so a backend that keeps running statements in one transaction (a loop,
    // prepared statements in BEGIN ... COMMIT) would keep answering from a cache that a committed
    // removal, demotion or deactivation has made stale. Reading it here makes each statement see
    // the memberships committed before it, as READ COMMITTED promises. With nothing queued this is
    // one unlocked read of a flag in shared memory.
    AcceptInvalidationMessages();
    return generation;
}

void invalidate_lookups(Oid relid) {
    CacheInvalidateRelcacheByRelid(relid);
}

const Catalog &catalog() {
    if (cached_valid) {
        return cached;
    }
    register_callbacks();
    Oid nsp = namespace_oid();
    Catalog c;
    c.user_rel = relation(nsp, "user");
    c.user_pk = relation(nsp, "pk__user");
    c.user_username_idx = relation(nsp, "ix__user__username");
    c.user_id = column(c.user_rel, "id");
    c.user_username = column(c.user_rel, "username");
    c.user_is_active = column(c.user_rel, "is_active");
    c.user_is_superuser = column(c.user_rel, "is_superuser");

    c.group_rel = relation(nsp, "group");
    c.group_pk = relation(nsp, "pk__group");
    c.group_owner_idx = relation(nsp, "ix__group__owner_id");
    c.group_name_idx = relation(nsp, "uq__group__name");
    c.group_id = column(c.group_rel, "id");
    c.group_name = column(c.group_rel, "name");
    c.group_owner_id = column(c.group_rel, "owner_id");

    c.user_group_rel = relation(nsp, "user_group");
    c.user_group_pk = relation(nsp, "pk__user_group");
    c.user_group_user_id = column(c.user_group_rel, "user_id");
    c.user_group_group_id = column(c.user_group_rel, "group_id");
    c.user_group_role = column(c.user_group_rel, "role");

    c.transfer_rel = relation(nsp, "transfer");
    c.transfer_pk = relation(nsp, "pk__transfer");
    c.transfer_id = column(c.transfer_rel, "id");
    c.transfer_group_id = column(c.transfer_rel, "group_id");

    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(c.group_rel));
    if (!HeapTupleIsValid(tuple)) {
        elog(ERROR, "cache lookup failed for relation %u", c.group_rel);
    }
    c.owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->relowner;
    ReleaseSysCache(tuple);

    cached = c;
    cached_valid = true;
    return cached;
}

Snapshot lookup_snapshot() {
    // A parallel query may not take a new snapshot (not even in its leader): it reads with the
    // statement's, and what it reads is not kept (see lookups_cacheable).
    return RegisterSnapshot(IsInParallelMode() ? GetActiveSnapshot() : GetLatestSnapshot());
}

bool lookups_cacheable() {
    return !IsInParallelMode();
}

Relation probe_open(Oid relid, int nkeys, const ProbeKey *keys, ScanKeyData *scankeys) {
    Relation rel = table_open(relid, AccessShareLock);
    for (int i = 0; i < nkeys; ++i) {
        ScanKeyInit(&scankeys[i], keys[i].column, BTEqualStrategyNumber,
                    keys[i].is_text ? F_TEXTEQ : F_INT8EQ, keys[i].value);
        // The btree compares with the key's collation: use the column's, which the index has.
        scankeys[i].sk_collation =
            keys[i].is_text ? TupleDescAttr(RelationGetDescr(rel), keys[i].column - 1)->attcollation
                            : InvalidOid;
    }
    return rel;
}

}  // namespace syncmaster::pg
