// queue: the index probes core::Lookup asks of it, over its slice of the catalog.
#include "pg/probes.hpp"

#include "pg/entry.hpp"
#include "pg/relations.hpp"

namespace syncmaster::pg {

namespace {

// The question of a group's queue names (see pg/probes.hpp).
constexpr uint32 kQueueNamesLockClass = 0x514E414D;  // "QNAM"

// queue, as this adapter reads it directly.
struct QueueCatalog {
    Oid relations[3];
    Oid rel, pk, group_idx;
    AttrNumber id, name, slug, group_id;

    static QueueCatalog resolve() {
        QueueCatalog c;
        c.rel = schema_relation("queue");
        c.pk = schema_relation("pk__queue");
        c.group_idx = schema_relation("ix__queue__group_id");
        c.id = column(c.rel, "id");
        c.name = column(c.rel, "name");
        c.slug = column(c.rel, "slug");
        c.group_id = column(c.rel, "group_id");
        Oid all[3] = {c.rel, c.pk, c.group_idx};
        memcpy(c.relations, all, sizeof all);
        return c;
    }
};

}  // namespace

std::vector<core::Lookup::QueueName> Probes::other_queues(std::int64_t group_id,
                                                          std::int64_t own_id) {
    serialize(kQueueNamesLockClass, hash_int8(group_id), static_cast<uint32>(group_id));
    // name, slug, name, slug, ...
    PgArray<char *> names = pg_call([group_id, own_id]() {
        const QueueCatalog &c = catalog_slice<QueueCatalog>();
        PgArray<char *> out;
        ProbeKey key{c.group_id, Int64GetDatum(group_id), false};
        probe(c.rel, c.group_idx, 1, &key, 0, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            if (DatumGetInt64(heap_getattr(tuple, c.id, desc, &isnull)) == own_id) {
                return;
            }
            out.push(TextDatumGetCString(heap_getattr(tuple, c.name, desc, &isnull)));
            out.push(TextDatumGetCString(heap_getattr(tuple, c.slug, desc, &isnull)));
        });
        return out;
    });
    std::vector<QueueName> queues;
    for (int i = 0; i + 1 < names.count; i += 2) {
        queues.push_back(QueueName{names.values[i], names.values[i + 1]});
    }
    return queues;
}

std::optional<std::int64_t> Probes::queue_group(std::int64_t id) {
    struct Found {
        bool found;
        int64 group_id;
    };
    Found f = pg_call([id]() {
        const QueueCatalog &c = catalog_slice<QueueCatalog>();
        Found found{false, 0};
        ProbeKey key{c.id, Int64GetDatum(id), false};
        probe(c.rel, c.pk, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            found.found = true;
            found.group_id = DatumGetInt64(heap_getattr(tuple, c.group_id, desc, &isnull));
        });
        return found;
    });
    if (!f.found) {
        return std::nullopt;
    }
    return f.group_id;
}

std::string queue_slug(std::int64_t queue_id) {
    const char *slug = pg_call([queue_id]() -> const char * {
        const QueueCatalog &c = catalog_slice<QueueCatalog>();
        const char *found = "";
        ProbeKey queue{c.id, Int64GetDatum(queue_id), false};
        probe(c.rel, c.pk, 1, &queue, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            found = TextDatumGetCString(heap_getattr(tuple, c.slug, desc, &isnull));
        });
        return found;
    });
    return slug;
}

}  // namespace syncmaster::pg
