#include "core/permissions.hpp"

#include "pg/standing.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "pg/entry.hpp"
#include "pg/relations.hpp"

namespace syncmaster::pg {

namespace {

// A looked-up int8 column, as plain data that may cross pg_call().
struct Found {
    bool found;
    int64 value;
};

// A looked-up text column, palloc'd in the caller's memory context.
struct FoundText {
    bool found;
    const char *value;
};

}  // namespace

void forget_lookups(const TriggerData *trigger) {
    pg_call([trigger]() { invalidate_lookups(RelationGetRelid(trigger->tg_relation)); });
}

std::optional<std::int64_t> group_owner(std::int64_t group_id) {
    Found owner = pg_call([group_id]() {
        const Catalog &c = catalog();
        Found f{false, 0};
        ProbeKey key{c.group_id, Int64GetDatum(group_id), false};
        probe(c.group_rel, c.group_pk, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            f.found = true;
            f.value = DatumGetInt64(heap_getattr(tuple, c.group_owner_id, desc, &isnull));
        });
        return f;
    });
    if (!owner.found) {
        return std::nullopt;
    }
    return owner.value;
}

std::optional<std::string> member_role(std::int64_t user_id, std::int64_t group_id) {
    FoundText role = pg_call([user_id, group_id]() {
        const Catalog &c = catalog();
        FoundText f{false, nullptr};
        ProbeKey keys[2] = {{c.user_group_user_id, Int64GetDatum(user_id), false},
                            {c.user_group_group_id, Int64GetDatum(group_id), false}};
        probe(c.user_group_rel, c.user_group_pk, 2, keys, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            Datum d = heap_getattr(tuple, c.user_group_role, desc, &isnull);
            f.found = true;
            f.value = isnull ? "" : TextDatumGetCString(d);
        });
        return f;
    });
    if (!role.found) {
        return std::nullopt;
    }
    return std::string(role.value);
}

namespace {

// Lookups kept for the current permissions generation (see relations.hpp), at most kLimit each.
constexpr std::size_t kLimit = 4096;

template <typename Key, typename Value>
struct GenerationCache {
    uint64 generation = 0;
    std::map<Key, Value> entries;

    // The generation now; forgets everything when it moved.
    uint64 refresh() {
        uint64 now = pg_call([]() { return permissions_generation(); });
        if (now != generation) {
            entries.clear();
            generation = now;
        }
        return now;
    }

    // Keeps value only if nothing was invalidated since `seen` was read.
    void keep(uint64 seen, const Key &key, const Value &value) {
        struct Now {
            uint64 generation;
            bool cacheable;
        };
        Now now = pg_call([]() { return Now{permissions_generation(), lookups_cacheable()}; });
        if (now.generation != seen || !now.cacheable) {
            return;
        }
        if (entries.size() >= kLimit) {
            entries.clear();
        }
        entries.emplace(key, value);
    }
};

// (user id or -1 for the system, superuser?, group id) → standing.
GenerationCache<std::tuple<std::int64_t, bool, std::int64_t>, core::permissions::Standing>
    standings;
// transfer id → group id (nullopt: no such transfer).
GenerationCache<std::int64_t, std::optional<std::int64_t>> transfer_groups;

core::permissions::Standing look_up_standing(const core::identity::Actor &actor,
                                             std::int64_t group_id) {
    core::permissions::Standing standing;
    std::optional<std::int64_t> owner = group_owner(group_id);
    standing.group_exists = owner.has_value();
    if (!standing.group_exists || actor.system) {
        return standing;
    }
    standing.is_owner = *owner == actor.user_id;
    if (!standing.is_owner && !actor.is_superuser) {
        if (auto role = member_role(actor.user_id, group_id)) {
            standing.member_role = core::permissions::parse_role(*role);
        }
    }
    return standing;
}

std::optional<std::int64_t> look_up_group_of_transfer(std::int64_t transfer_id) {
    Found group = pg_call([transfer_id]() {
        const Catalog &c = catalog();
        Found f{false, 0};
        ProbeKey key{c.transfer_id, Int64GetDatum(transfer_id), false};
        probe(c.transfer_rel, c.transfer_pk, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            f.found = true;
            f.value = DatumGetInt64(heap_getattr(tuple, c.transfer_group_id, desc, &isnull));
        });
        return f;
    });
    if (!group.found) {
        return std::nullopt;
    }
    return group.value;
}

}  // namespace

core::permissions::Standing standing_in_group(const core::identity::Actor &actor,
                                              std::int64_t group_id) {
    uint64 seen = standings.refresh();
    auto key = std::make_tuple(actor.system ? -1 : actor.user_id, actor.is_superuser, group_id);
    auto found = standings.entries.find(key);
    if (found != standings.entries.end()) {
        return found->second;
    }
    core::permissions::Standing standing = look_up_standing(actor, group_id);
    standings.keep(seen, key, standing);
    return standing;
}

std::optional<std::int64_t> group_of_transfer(std::int64_t transfer_id) {
    uint64 seen = transfer_groups.refresh();
    auto found = transfer_groups.entries.find(transfer_id);
    if (found != transfer_groups.entries.end()) {
        return found->second;
    }
    std::optional<std::int64_t> group = look_up_group_of_transfer(transfer_id);
    transfer_groups.keep(seen, transfer_id, group);
    return group;
}

bool user_exists(std::int64_t user_id) {
    return pg_call([user_id]() {
        const Catalog &c = catalog();
        ProbeKey key{c.user_id, Int64GetDatum(user_id), false};
        return probe(c.user_rel, c.user_pk, 1, &key, 1, [](HeapTuple, TupleDesc) {}) > 0;
    });
}

std::optional<std::int64_t> group_named(const std::string &name) {
    const char *text = name.c_str();
    Found group = pg_call([text]() {
        const Catalog &c = catalog();
        Found f{false, 0};
        ProbeKey key{c.group_name, CStringGetTextDatum(text), true};
        probe(c.group_rel, c.group_name_idx, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            f.found = true;
            f.value = DatumGetInt64(heap_getattr(tuple, c.group_id, desc, &isnull));
        });
        return f;
    });
    if (!group.found) {
        return std::nullopt;
    }
    return group.value;
}

namespace {

// user id (or -1: every group) → the groups it reads.
GenerationCache<std::int64_t, std::vector<std::int64_t>> visible_groups;

// The ids of every group (user_id < 0), or of those a user owns or belongs to; ascending.
std::vector<std::int64_t> look_up_groups(std::int64_t user_id) {
    PgArray<int64> ids = pg_call([user_id]() {
        const Catalog &c = catalog();
        PgArray<int64> out;
        auto append = [&](int64 v) { out.push(v); };
        if (user_id < 0) {
            probe(c.group_rel, c.group_pk, 0, nullptr, 0, [&](HeapTuple tuple, TupleDesc desc) {
                bool isnull;
                append(DatumGetInt64(heap_getattr(tuple, c.group_id, desc, &isnull)));
            });
            return out;
        }
        ProbeKey owner_key{c.group_owner_id, Int64GetDatum(user_id), false};
        probe(c.group_rel, c.group_owner_idx, 1, &owner_key, 0,
              [&](HeapTuple tuple, TupleDesc desc) {
                  bool isnull;
                  append(DatumGetInt64(heap_getattr(tuple, c.group_id, desc, &isnull)));
              });
        ProbeKey member_key{c.user_group_user_id, Int64GetDatum(user_id), false};
        probe(c.user_group_rel, c.user_group_pk, 1, &member_key, 0,
              [&](HeapTuple tuple, TupleDesc desc) {
                  bool isnull;
                  append(DatumGetInt64(heap_getattr(tuple, c.user_group_group_id, desc, &isnull)));
              });
        return out;
    });
    std::vector<std::int64_t> result(ids.values, ids.values + ids.count);
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
}

}  // namespace

std::vector<std::int64_t> visible_group_ids(const core::identity::Actor &actor) {
    uint64 seen = visible_groups.refresh();
    std::int64_t key = actor.is_superuser ? -1 : actor.user_id;
    auto found = visible_groups.entries.find(key);
    if (found != visible_groups.entries.end()) {
        return found->second;
    }
    std::vector<std::int64_t> groups = look_up_groups(key);
    visible_groups.keep(seen, key, groups);
    return groups;
}

std::vector<std::string> groups_owned_by(std::int64_t user_id) {
    PgArray<char *> names = pg_call([user_id]() {
        const Catalog &c = catalog();
        PgArray<char *> out;
        ProbeKey key{c.group_owner_id, Int64GetDatum(user_id), false};
        probe(c.group_rel, c.group_owner_idx, 1, &key, 0, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            out.push(TextDatumGetCString(heap_getattr(tuple, c.group_name, desc, &isnull)));
        });
        return out;
    });
    std::vector<std::string> result(names.values, names.values + names.count);
    std::sort(result.begin(), result.end());
    return result;
}

}  // namespace syncmaster::pg
