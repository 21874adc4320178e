// transfer: the index probes core::Lookup asks of it, over its slice of the catalog.
#include "pg/probes.hpp"

#include "pg/entry.hpp"
#include "pg/relations.hpp"

namespace syncmaster::pg {

namespace {

// The transfer's "name taken" question (see pg/probes.hpp).
constexpr uint32 kTransferNameLockClass = 0x544E414D;  // "TNAM"

// transfer, as this adapter reads it directly.
struct TransferCatalog {
    Oid relations[6];
    Oid rel, pk, source_idx, target_idx, queue_idx, name_idx;
    AttrNumber id, group_id, source_id, target_id, queue_id, name, is_scheduled;

    static TransferCatalog resolve() {
        TransferCatalog c;
        c.rel = schema_relation("transfer");
        c.pk = schema_relation("pk__transfer");
        c.source_idx = schema_relation("ix__transfer__source_connection_id");
        c.target_idx = schema_relation("ix__transfer__target_connection_id");
        c.queue_idx = schema_relation("ix__transfer__queue_id");
        c.name_idx = schema_relation("uq__transfer__name_group_id");
        c.id = column(c.rel, "id");
        c.group_id = column(c.rel, "group_id");
        c.source_id = column(c.rel, "source_connection_id");
        c.target_id = column(c.rel, "target_connection_id");
        c.queue_id = column(c.rel, "queue_id");
        c.name = column(c.rel, "name");
        c.is_scheduled = column(c.rel, "is_scheduled");
        Oid all[6] = {c.rel, c.pk, c.source_idx, c.target_idx, c.queue_idx, c.name_idx};
        memcpy(c.relations, all, sizeof all);
        return c;
    }
};

}  // namespace

bool Probes::transfer_name_taken(std::int64_t group_id, const std::string &name,
                                 std::int64_t own_id) {
    serialize(kTransferNameLockClass, hash_int8(group_id), hash_text(name, hash_int8(group_id)));
    const char *text = name.c_str();
    return pg_call([group_id, text, own_id]() {
        const TransferCatalog &c = catalog_slice<TransferCatalog>();
        bool taken = false;
        ProbeKey keys[2] = {{c.name, CStringGetTextDatum(text), true},
                            {c.group_id, Int64GetDatum(group_id), false}};
        probe(c.rel, c.name_idx, 2, keys, 0, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            taken |= DatumGetInt64(heap_getattr(tuple, c.id, desc, &isnull)) != own_id;
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
        const TransferCatalog &c = catalog_slice<TransferCatalog>();
        Found found{false, 0, 0, 0, 0, false};
        ProbeKey key{c.id, Int64GetDatum(id), false};
        probe(c.rel, c.pk, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            auto int8 = [&](AttrNumber column) {
                return DatumGetInt64(heap_getattr(tuple, column, desc, &isnull));
            };
            found.found = true;
            found.group_id = int8(c.group_id);
            found.source_id = int8(c.source_id);
            found.target_id = int8(c.target_id);
            found.queue_id = int8(c.queue_id);
            found.is_scheduled = DatumGetBool(heap_getattr(tuple, c.is_scheduled, desc, &isnull));
        });
        return found;
    });
    if (!f.found) {
        return std::nullopt;
    }
    return TransferFacts{f.group_id, f.source_id, f.target_id, f.queue_id, f.is_scheduled};
}

std::int64_t Probes::transfers_using_connection(std::int64_t id) {
    return pg_call([id]() {
        const TransferCatalog &c = catalog_slice<TransferCatalog>();
        ProbeKey source{c.source_id, Int64GetDatum(id), false};
        int64 count = probe(c.rel, c.source_idx, 1, &source, 0, [](HeapTuple, TupleDesc) {});
        // A transfer from the connection to itself was counted as a source already.
        ProbeKey target{c.target_id, Int64GetDatum(id), false};
        probe(c.rel, c.target_idx, 1, &target, 0, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            if (DatumGetInt64(heap_getattr(tuple, c.source_id, desc, &isnull)) != id) {
                ++count;
            }
        });
        return count;
    });
}

std::int64_t Probes::transfers_using_queue(std::int64_t id) {
    return pg_call([id]() {
        const TransferCatalog &c = catalog_slice<TransferCatalog>();
        ProbeKey queue{c.queue_id, Int64GetDatum(id), false};
        return int64(probe(c.rel, c.queue_idx, 1, &queue, 0, [](HeapTuple, TupleDesc) {}));
    });
}

}  // namespace syncmaster::pg
