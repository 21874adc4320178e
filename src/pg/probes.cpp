#include "core/lookup.hpp"

#include "pg/probes.hpp"

#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/relations.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"

#include <unordered_map>

namespace syncmaster::pg {

namespace {

// The first key of the transaction advisory locks that serialize each "taken" question: the
// second key is the group (queue names) or a hash of what is named. A hash collision only makes
// two unrelated writers take turns. (Four ASCII letters each: "QNAM" as in earlier releases.)
constexpr uint32 kUsernameLockClass = 0x554E414D;   // "UNAM"
constexpr uint32 kGroupNameLockClass = 0x474E414D;  // "GNAM"
constexpr uint32 kMemberLockClass = 0x4D454D42;     // "MEMB"

}  // namespace

uint32 hash_text(const std::string &text, uint32 seed) {
    const char *data = text.data();
    std::size_t size = text.size();
    return pg_call([data, size, seed]() {
        return hash_combine(seed, hash_bytes(reinterpret_cast<const unsigned char *>(data),
                                             static_cast<int>(size)));
    });
}

uint32 hash_int8(std::int64_t value, uint32 seed) {
    return pg_call([value, seed]() {
        return hash_combine(
            seed, hash_bytes(reinterpret_cast<const unsigned char *>(&value), sizeof value));
    });
}

namespace {

// Name locks are taken in scopes (a group, or everything for user and group names). A writer
// holds its scope in RowShareLock and each name it asks about in ExclusiveLock, so writers of
// different names in one scope run side by side. A transaction that has asked about many names
// of a class (an INSERT ... SELECT of 100 000 connections) would fill PostgreSQL's lock table, so
// past kNamesPerClass it takes each scope it then touches in ExclusiveLock instead, which waits
// for the scope's other writers and keeps them out until it ends, and takes no more name locks
// there. Two such bulk writers of one scope may then deadlock; PostgreSQL detects it (40P01).
constexpr int kNamesPerClass = 256;

// Name and scope locks are advisory lock tags whose fourth field no SQL function can set: the
// pg_advisory_* functions use 1 (one int8 key) and 2 (two int4 keys) only, so no role, however
// unprivileged, can take one of these locks and hold up the creation of a user, a group, a member
// or a name in a group (0.2.0 used 2 for names, which pg_advisory_lock(int4, int4) reaches).
// Two ASCII letters each.
constexpr uint16 kNameLockField = 0x534E;   // "SN"
constexpr uint16 kScopeLockField = 0x5353;  // "SS"

// How many name locks this transaction has taken, by class (an overcount after a rolled-back
// savepoint only escalates sooner).
struct NameLocksTaken {
    LocalTransactionId transaction = InvalidLocalTransactionId;
    std::unordered_map<uint32, int> by_class;
};
NameLocksTaken name_locks_taken;

}  // namespace

void serialize(uint32 lock_class, uint32 scope, uint32 key) {
    if (name_locks_taken.transaction != MyProc->lxid) {
        name_locks_taken.by_class.clear();
        name_locks_taken.transaction = MyProc->lxid;
    }
    int &taken = name_locks_taken.by_class[lock_class];
    bool escalate = taken >= kNamesPerClass;
    pg_call([lock_class, scope, key, escalate]() {
        LOCKTAG scope_tag;
        SET_LOCKTAG_ADVISORY(scope_tag, MyDatabaseId, lock_class, scope, kScopeLockField);
        // Asked of the local lock table, so a savepoint rolled back (which released the lock)
        // is seen.
        if (LockHeldByMe(&scope_tag, ExclusiveLock)) {
            return;
        }
        if (escalate) {
            (void)LockAcquire(&scope_tag, ExclusiveLock, false, false);
            return;
        }
        (void)LockAcquire(&scope_tag, RowShareLock, false, false);
        LOCKTAG name_tag;
        SET_LOCKTAG_ADVISORY(name_tag, MyDatabaseId, lock_class, key, kNameLockField);
        (void)LockAcquire(&name_tag, ExclusiveLock, false, false);
    });
    if (!escalate) {
        ++taken;
    }
}

namespace {

Statement lock_group_row(
    "SELECT owner_id FROM syncmaster.\"group\" "
    "WHERE id OPERATOR(pg_catalog.=) $1 FOR SHARE");

}  // namespace

core::permissions::Standing Probes::standing(const core::identity::Actor &actor,
                                             std::int64_t group_id) {
    return standing_in_group(actor, group_id);
}

std::optional<std::int64_t> Probes::group_of_transfer(std::int64_t transfer_id) {
    return pg::group_of_transfer(transfer_id);
}

bool Probes::user_exists(std::int64_t user_id) {
    return pg::user_exists(user_id);
}

std::optional<std::int64_t> Probes::username_taken(const std::string &username,
                                                   std::int64_t own_id) {
    serialize(kUsernameLockClass, 0, hash_text(username));
    auto user = find_user_by_username(username);
    if (user && user->id != own_id) {
        return user->id;
    }
    return std::nullopt;
}

core::fields::RoleNamed Probes::role_named(const std::string &name) {
    return pg::role_named(name);
}

std::vector<std::string> Probes::groups_owned_by(std::int64_t user_id) {
    return pg::groups_owned_by(user_id);
}

bool Probes::group_name_taken(const std::string &name, std::int64_t own_id) {
    serialize(kGroupNameLockClass, 0, hash_text(name));
    auto group = group_named(name);
    return group && *group != own_id;
}

// Locks the group row FOR SHARE and returns its owner (latest committed version): an owner change
// of the same group waits for this transaction, or this one sees its result.
std::optional<std::int64_t> Probes::lock_group(std::int64_t group_id) {
    // owner_id is NOT NULL: no row is the only nullopt.
    return lock_group_row.first_int8(As::kTableOwner, {int8_arg(group_id)});
}

std::optional<std::string> Probes::member_role(std::int64_t user_id, std::int64_t group_id) {
    serialize(kMemberLockClass, hash_int8(group_id), hash_int8(user_id, hash_int8(group_id)));
    return pg::member_role(user_id, group_id);
}

}  // namespace syncmaster::pg
