#include "core/fields.hpp"
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
    Oid role;
    const char *role_name;
    bool is_superuser;
    bool is_service;
    bool is_app;
    bool can_login;
};

// The last actor resolved, with what it was resolved from. Valid while the permissions
// generation (see relations.hpp) has not moved: a role, user or membership change, or an abort.
struct ActorCache {
    bool valid = false;
    uint64 generation = 0;
    Oid role = InvalidOid;
    std::string acting_user;
    bool stale_acting_user = false;
    ResolvedActor resolved;
};
ActorCache actor_cache;

SessionFacts complete_session_facts(Oid role) {
    return pg_call([role]() {
        Oid service = get_role_oid(core::identity::kServiceRole, true);
        Oid app = get_role_oid(core::identity::kAppRole, true);
        SessionFacts f;
        f.role = role;
        f.role_name = GetUserNameFromId(role, false);
        f.is_superuser = superuser_arg(role);
        f.is_service = OidIsValid(service) && has_privs_of_role(role, service);
        f.is_app = OidIsValid(app) && has_privs_of_role(role, app);
        HeapTuple tuple = SearchSysCache1(AUTHOID, ObjectIdGetDatum(role));
        f.can_login = HeapTupleIsValid(tuple) &&
                      reinterpret_cast<Form_pg_authid>(GETSTRUCT(tuple))->rolcanlogin;
        if (HeapTupleIsValid(tuple)) {
            ReleaseSysCache(tuple);
        }
        return f;
    });
}

}  // namespace

std::optional<core::identity::UserRecord> find_user_by_username(const std::string &username) {
    const char *name = username.c_str();
    UserRow row = pg_call([name]() {
        const Catalog &c = catalog();
        UserRow found{false, 0, false, false};
        ProbeKey key{c.user_username, CStringGetTextDatum(name), true};
        probe(c.user_rel, c.user_username_idx, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            found.found = true;
            found.id = DatumGetInt64(heap_getattr(tuple, c.user_id, desc, &isnull));
            found.is_active = DatumGetBool(heap_getattr(tuple, c.user_is_active, desc, &isnull));
            found.is_superuser =
                DatumGetBool(heap_getattr(tuple, c.user_is_superuser, desc, &isnull));
        });
        return found;
    });
    if (!row.found) {
        return std::nullopt;
    }
    return core::identity::UserRecord{row.id, row.is_active, row.is_superuser};
}

core::fields::RoleNamed role_named(const std::string &name) {
    if (name.empty() || name.size() >= NAMEDATALEN) {
        return {};  // no role can have this name
    }
    const char *n = name.c_str();
    return pg_call([n]() {
        core::fields::RoleNamed facts;
        HeapTuple tuple = SearchSysCache1(AUTHNAME, CStringGetDatum(n));
        if (HeapTupleIsValid(tuple)) {
            facts.exists = true;
            facts.can_login = reinterpret_cast<Form_pg_authid>(GETSTRUCT(tuple))->rolcanlogin;
            ReleaseSysCache(tuple);
        }
        return facts;
    });
}

namespace {

int system_acts = 0;
bool system_acts_callback = false;

void end_system_acts(XactEvent event, void *) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_COMMIT ||
        event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PARALLEL_COMMIT) {
        system_acts = 0;
    }
}

}  // namespace

SystemActs::SystemActs() {
    if (!system_acts_callback) {
        pg_call([]() { RegisterXactCallback(end_system_acts, nullptr); });
        system_acts_callback = true;
    }
    ++system_acts;
}

SystemActs::~SystemActs() {
    --system_acts;
}

ResolvedActor current_actor() {
    if (system_acts > 0) {
        return ResolvedActor{core::identity::Actor::make_system(), ""};
    }
    struct Now {
        Oid role;
        uint64 generation;
    };
    // The outer role: SET ROLE changes it, a SECURITY DEFINER frame does not.
    Now now = pg_call([]() { return Now{GetOuterUserId(), permissions_generation()}; });
    guc::ActingUser acting = guc::acting_user();
    const char *acting_user = acting.value;
    if (actor_cache.valid && actor_cache.generation == now.generation &&
        actor_cache.role == now.role && actor_cache.acting_user == acting_user &&
        actor_cache.stale_acting_user == acting.stale) {
        return actor_cache.resolved;
    }
    SessionFacts facts = complete_session_facts(now.role);
    core::identity::Session session;
    session.role_name = facts.role_name;
    session.is_superuser = facts.is_superuser;
    session.is_service = facts.is_service;
    session.is_app = facts.is_app;
    session.can_login = facts.can_login;
    session.acting_user = acting_user;
    session.stale_acting_user = acting.stale;

    core::identity::Claim claim = core::identity::claim(session);
    std::optional<core::identity::UserRecord> user;
    if (!claim.system) {
        user = find_user_by_username(claim.username);
    }
    ResolvedActor resolved{core::identity::admit(claim, user), claim.username};

    // Kept only if nothing was invalidated while it was being resolved.
    uint64 after =
        pg_call([]() { return lookups_cacheable() ? permissions_generation() : uint64(0); });
    actor_cache.valid = false;
    if (after == now.generation) {
        actor_cache.acting_user = acting_user;
        actor_cache.stale_acting_user = acting.stale;
        actor_cache.generation = now.generation;
        actor_cache.role = now.role;
        actor_cache.resolved = resolved;
        actor_cache.valid = true;
    }
    return resolved;
}

}  // namespace syncmaster::pg
