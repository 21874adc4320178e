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
    LocalTransactionId transaction;
    CommandId command;
};

// The actor resolved for one command of one transaction, with the role and setting it was
// resolved from: a statement that fires the trigger for many rows resolves it once.
struct ActorCache {
    bool valid = false;
    LocalTransactionId transaction = InvalidLocalTransactionId;
    CommandId command = InvalidCommandId;
    Oid role = InvalidOid;
    std::string acting_user;
    ResolvedActor resolved;
};
ActorCache actor_cache;
bool subxact_callback_registered = false;

// A rolled-back subtransaction may have changed what the cached resolution read.
void forget_actor(SubXactEvent event, SubTransactionId, SubTransactionId, void *) {
    if (event == SUBXACT_EVENT_ABORT_SUB) {
        actor_cache.valid = false;
    }
}

SessionFacts read_session_facts() {
    return pg_call([]() {
        if (!subxact_callback_registered) {
            RegisterSubXactCallback(forget_actor, nullptr);
            subxact_callback_registered = true;
        }
        // The outer role: SET ROLE changes it, a SECURITY DEFINER frame does not.
        SessionFacts f;
        f.role = GetOuterUserId();
        f.transaction = MyProc->lxid;
        f.command = GetCurrentCommandId(false);
        f.role_name = nullptr;
        f.is_superuser = false;
        f.is_service = false;
        return f;
    });
}

void complete_session_facts(SessionFacts &f) {
    SessionFacts done = pg_call([f]() {
        SessionFacts g = f;
        Oid service = get_role_oid(core::identity::kServiceRole, true);
        g.role_name = GetUserNameFromId(f.role, false);
        g.is_superuser = superuser_arg(f.role);
        g.is_service = OidIsValid(service) && has_privs_of_role(f.role, service);
        return g;
    });
    f = done;
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

ResolvedActor current_actor() {
    SessionFacts facts = read_session_facts();
    const char *acting_user = guc::acting_user();
    if (actor_cache.valid && actor_cache.transaction == facts.transaction &&
        actor_cache.command == facts.command && actor_cache.role == facts.role &&
        actor_cache.acting_user == acting_user) {
        return actor_cache.resolved;
    }
    complete_session_facts(facts);
    core::identity::Session session;
    session.role_name = facts.role_name;
    session.is_superuser = facts.is_superuser;
    session.is_service = facts.is_service;
    session.acting_user = acting_user;

    core::identity::Claim claim = core::identity::claim(session);
    std::optional<core::identity::UserRecord> user;
    if (!claim.system) {
        user = find_user_by_username(claim.username);
    }
    ResolvedActor resolved{core::identity::admit(claim, user), claim.username};

    actor_cache.valid = false;
    actor_cache.acting_user = acting_user;
    actor_cache.transaction = facts.transaction;
    actor_cache.command = facts.command;
    actor_cache.role = facts.role;
    actor_cache.resolved = resolved;
    actor_cache.valid = true;
    return resolved;
}

}  // namespace syncmaster::pg
