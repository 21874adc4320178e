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
constexpr uint32 kUsernameLockClass = 0x554E414D;        // "UNAM"
constexpr uint32 kGroupNameLockClass = 0x474E414D;       // "GNAM"
constexpr uint32 kMemberLockClass = 0x4D454D42;          // "MEMB"
constexpr uint32 kConnectionNameLockClass = 0x434E414D;  // "CNAM"
constexpr uint32 kQueueNamesLockClass = 0x514E414D;      // "QNAM"
constexpr uint32 kTransferNameLockClass = 0x544E414D;    // "TNAM"

uint32 hash_text(const std::string &text, uint32 seed = 0) {
    const char *data = text.data();
    std::size_t size = text.size();
    return pg_call([data, size, seed]() {
        return hash_combine(seed, hash_bytes(reinterpret_cast<const unsigned char *>(data),
                                             static_cast<int>(size)));
    });
}

uint32 hash_int8(std::int64_t value, uint32 seed = 0) {
    return pg_call([value, seed]() {
        return hash_combine(
            seed, hash_bytes(reinterpret_cast<const unsigned char *>(&value), sizeof value));
    });
}

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

// Waits for, then holds until the transaction ends, the lock on `key` in `scope`: the writers of
// one name take turns, and the second, reading the latest committed rows after the first ended,
// sees what it wrote.
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

bool Probes::connection_name_taken(std::int64_t group_id, const std::string &name,
                                   std::int64_t own_id) {
    serialize(kConnectionNameLockClass, hash_int8(group_id), hash_text(name, hash_int8(group_id)));
    const char *text = name.c_str();
    return pg_call([group_id, text, own_id]() {
        const Catalog &c = catalog();
        bool taken = false;
        ProbeKey keys[2] = {{c.connection_name, CStringGetTextDatum(text), true},
                            {c.connection_group_id, Int64GetDatum(group_id), false}};
        probe(c.connection_rel, c.connection_name_idx, 2, keys, 0,
              [&](HeapTuple tuple, TupleDesc desc) {
                  bool isnull;
                  taken |=
                      DatumGetInt64(heap_getattr(tuple, c.connection_id, desc, &isnull)) != own_id;
              });
        return taken;
    });
}

std::vector<core::Lookup::QueueName> Probes::other_queues(std::int64_t group_id,
                                                          std::int64_t own_id) {
    serialize(kQueueNamesLockClass, hash_int8(group_id), static_cast<uint32>(group_id));
    // name, slug, name, slug, ...
    PgArray<char *> names = pg_call([group_id, own_id]() {
        const Catalog &c = catalog();
        PgArray<char *> out;
        ProbeKey key{c.queue_group_id, Int64GetDatum(group_id), false};
        probe(c.queue_rel, c.queue_group_idx, 1, &key, 0, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            if (DatumGetInt64(heap_getattr(tuple, c.queue_id, desc, &isnull)) == own_id) {
                return;
            }
            out.push(TextDatumGetCString(heap_getattr(tuple, c.queue_name, desc, &isnull)));
            out.push(TextDatumGetCString(heap_getattr(tuple, c.queue_slug, desc, &isnull)));
        });
        return out;
    });
    std::vector<QueueName> queues;
    for (int i = 0; i + 1 < names.count; i += 2) {
        queues.push_back(QueueName{names.values[i], names.values[i + 1]});
    }
    return queues;
}

std::optional<core::Lookup::ConnectionFacts> Probes::connection(std::int64_t id) {
    struct Found {
        bool found;
        int64 group_id;
        const char *type;
    };
    Found f = pg_call([id]() {
        const Catalog &c = catalog();
        Found found{false, 0, nullptr};
        ProbeKey key{c.connection_id, Int64GetDatum(id), false};
        probe(c.connection_rel, c.connection_pk, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            found.found = true;
            found.group_id =
                DatumGetInt64(heap_getattr(tuple, c.connection_group_id, desc, &isnull));
            found.type = TextDatumGetCString(heap_getattr(tuple, c.connection_type, desc, &isnull));
        });
        return found;
    });
    if (!f.found) {
        return std::nullopt;
    }
    return ConnectionFacts{f.group_id, f.type};
}

std::optional<std::int64_t> Probes::queue_group(std::int64_t id) {
    struct Found {
        bool found;
        int64 group_id;
    };
    Found f = pg_call([id]() {
        const Catalog &c = catalog();
        Found found{false, 0};
        ProbeKey key{c.queue_id, Int64GetDatum(id), false};
        probe(c.queue_rel, c.queue_pk, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            found.found = true;
            found.group_id = DatumGetInt64(heap_getattr(tuple, c.queue_group_id, desc, &isnull));
        });
        return found;
    });
    if (!f.found) {
        return std::nullopt;
    }
    return f.group_id;
}

bool Probes::transfer_name_taken(std::int64_t group_id, const std::string &name,
                                 std::int64_t own_id) {
    serialize(kTransferNameLockClass, hash_int8(group_id), hash_text(name, hash_int8(group_id)));
    const char *text = name.c_str();
    return pg_call([group_id, text, own_id]() {
        const Catalog &c = catalog();
        bool taken = false;
        ProbeKey keys[2] = {{c.transfer_name, CStringGetTextDatum(text), true},
                            {c.transfer_group_id, Int64GetDatum(group_id), false}};
        probe(
            c.transfer_rel, c.transfer_name_idx, 2, keys, 0, [&](HeapTuple tuple, TupleDesc desc) {
                bool isnull;
                taken |= DatumGetInt64(heap_getattr(tuple, c.transfer_id, desc, &isnull)) != own_id;
            });
        return taken;
    });
}

std::optional<core::Lookup::TransferFacts> Probes::transfer(std::int64_t id) {
    struct Found {
        bool found;
        int64 group_id, source_id, target_id, queue_id;
        bool is_scheduled;
    };
    Found f = pg_call([id]() {
        const Catalog &c = catalog();
        Found found{false, 0, 0, 0, 0, false};
        ProbeKey key{c.transfer_id, Int64GetDatum(id), false};
        probe(c.transfer_rel, c.transfer_pk, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            auto int8 = [&](AttrNumber column) {
                return DatumGetInt64(heap_getattr(tuple, column, desc, &isnull));
            };
            found.found = true;
            found.group_id = int8(c.transfer_group_id);
            found.source_id = int8(c.transfer_source_id);
            found.target_id = int8(c.transfer_target_id);
            found.queue_id = int8(c.transfer_queue_id);
            found.is_scheduled =
                DatumGetBool(heap_getattr(tuple, c.transfer_is_scheduled, desc, &isnull));
        });
        return found;
    });
    if (!f.found) {
        return std::nullopt;
    }
    return TransferFacts{f.group_id, f.source_id, f.target_id, f.queue_id, f.is_scheduled};
}

bool Probes::has_credentials(std::int64_t connection_id) {
    return pg_call([connection_id]() {
        const Catalog &c = catalog();
        ProbeKey key{c.auth_data_connection_id, Int64GetDatum(connection_id), false};
        return probe(c.auth_data_rel, c.auth_data_pk, 1, &key, 1, [](HeapTuple, TupleDesc) {}) > 0;
    });
}

std::string queue_slug(std::int64_t queue_id) {
    const char *slug = pg_call([queue_id]() -> const char * {
        const Catalog &c = catalog();
        const char *found = "";
        ProbeKey queue{c.queue_id, Int64GetDatum(queue_id), false};
        probe(c.queue_rel, c.queue_pk, 1, &queue, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            found = TextDatumGetCString(heap_getattr(tuple, c.queue_slug, desc, &isnull));
        });
        return found;
    });
    return slug;
}

std::int64_t Probes::transfers_using_connection(std::int64_t id) {
    return pg_call([id]() {
        const Catalog &c = catalog();
        ProbeKey source{c.transfer_source_id, Int64GetDatum(id), false};
        int64 count = probe(c.transfer_rel, c.transfer_source_idx, 1, &source, 0,
                            [](HeapTuple, TupleDesc) {});
        // A transfer from the connection to itself was counted as a source already.
        ProbeKey target{c.transfer_target_id, Int64GetDatum(id), false};
        probe(
            c.transfer_rel, c.transfer_target_idx, 1, &target, 0,
            [&](HeapTuple tuple, TupleDesc desc) {
                bool isnull;
                if (DatumGetInt64(heap_getattr(tuple, c.transfer_source_id, desc, &isnull)) != id) {
                    ++count;
                }
            });
        return count;
    });
}

std::int64_t Probes::transfers_using_queue(std::int64_t id) {
    return pg_call([id]() {
        const Catalog &c = catalog();
        ProbeKey queue{c.transfer_queue_id, Int64GetDatum(id), false};
        return int64(
            probe(c.transfer_rel, c.transfer_queue_idx, 1, &queue, 0, [](HeapTuple, TupleDesc) {}));
    });
}

}  // namespace syncmaster::pg
