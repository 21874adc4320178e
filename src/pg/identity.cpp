#include "core/identity.hpp"

#include "pg/identity.hpp"

#include "pg/entry.hpp"
#include "pg/guc.hpp"
#include "pg/relations.hpp"

namespace syncmaster::pg {

namespace {

// The facts of a "user" row, as plain data that may cross pg_call().
struct UserRow {
    bool found;
    int64 id;
    bool is_active;
    bool is_superuser;
};

// The session's facts, as plain data that may cross pg_call().
struct SessionFacts {
    const char *role_name;
    bool is_superuser;
    bool is_service;
};

}  // namespace

std::optional<core::identity::UserRecord> find_user_by_username(const std::string &username) {
    const char *name = username.c_str();
    UserRow row = pg_call([name]() {
        UserRow found{false, 0, false, false};
        Oid relid = relation_oid("user");
        Oid indexid = relation_oid("ix__user__username");
        Relation rel = table_open(relid, AccessShareLock);
        TupleDesc desc = RelationGetDescr(rel);
        AttrNumber username_att = column_number(relid, "username");
        AttrNumber id_att = column_number(relid, "id");
        AttrNumber active_att = column_number(relid, "is_active");
        AttrNumber superuser_att = column_number(relid, "is_superuser");

        ScanKeyData key;
        ScanKeyInit(&key, username_att, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(name));
        // The btree compares with the key's collation: use the column's, which the index has.
        key.sk_collation = TupleDescAttr(desc, username_att - 1)->attcollation;

        SysScanDesc scan = systable_beginscan(rel, indexid, true, lookup_snapshot(), 1, &key);
        HeapTuple tuple = systable_getnext(scan);
        if (HeapTupleIsValid(tuple)) {
            bool isnull;
            found.found = true;
            found.id = DatumGetInt64(heap_getattr(tuple, id_att, desc, &isnull));
            found.is_active = DatumGetBool(heap_getattr(tuple, active_att, desc, &isnull));
            found.is_superuser = DatumGetBool(heap_getattr(tuple, superuser_att, desc, &isnull));
        }
        systable_endscan(scan);
        table_close(rel, NoLock);
        return found;
    });
    if (!row.found) {
        return std::nullopt;
    }
    return core::identity::UserRecord{row.id, row.is_active, row.is_superuser};
}

static core::identity::Session read_session() {
    SessionFacts facts = pg_call([]() {
        // The outer role: SET ROLE changes it, a SECURITY DEFINER frame does not.
        Oid role = GetOuterUserId();
        Oid service = get_role_oid(core::identity::kServiceRole, true);
        SessionFacts f;
        f.role_name = GetUserNameFromId(role, false);
        f.is_superuser = superuser_arg(role);
        f.is_service = OidIsValid(service) && has_privs_of_role(role, service);
        return f;
    });
    core::identity::Session session;
    session.role_name = facts.role_name;
    session.is_superuser = facts.is_superuser;
    session.is_service = facts.is_service;
    session.acting_user = guc::acting_user();
    return session;
}

ResolvedActor current_actor() {
    core::identity::Claim claim = core::identity::claim(read_session());
    std::optional<core::identity::UserRecord> user;
    if (!claim.system) {
        user = find_user_by_username(claim.username);
    }
    return ResolvedActor{core::identity::admit(claim, user), claim.username};
}

}  // namespace syncmaster::pg
