// connection and auth_data: the index probes core::Lookup asks of them, over its slice of the
// catalog.
#include "pg/probes.hpp"

#include "pg/entry.hpp"
#include "pg/relations.hpp"

namespace syncmaster::pg {

namespace {

// The connection's "name taken" question (see pg/probes.hpp).
constexpr uint32 kConnectionNameLockClass = 0x434E414D;  // "CNAM"

// connection and auth_data, as this adapter reads them directly.
struct ConnectionCatalog {
    Oid relations[5];
    Oid rel, pk, name_idx, auth_rel, auth_pk;
    AttrNumber id, name, group_id, type, auth_connection_id;

    static ConnectionCatalog resolve() {
        ConnectionCatalog c;
        c.rel = schema_relation("connection");
        c.pk = schema_relation("pk__connection");
        c.name_idx = schema_relation("uq__connection__name_group_id");
        c.auth_rel = schema_relation("auth_data");
        c.auth_pk = schema_relation("pk__auth_data");
        c.id = column(c.rel, "id");
        c.name = column(c.rel, "name");
        c.group_id = column(c.rel, "group_id");
        c.type = column(c.rel, "type");
        c.auth_connection_id = column(c.auth_rel, "connection_id");
        Oid all[5] = {c.rel, c.pk, c.name_idx, c.auth_rel, c.auth_pk};
        memcpy(c.relations, all, sizeof all);
        return c;
    }
};

}  // namespace

bool Probes::connection_name_taken(std::int64_t group_id, const std::string &name,
                                   std::int64_t own_id) {
    serialize(kConnectionNameLockClass, hash_int8(group_id), hash_text(name, hash_int8(group_id)));
    const char *text = name.c_str();
    return pg_call([group_id, text, own_id]() {
        const ConnectionCatalog &c = catalog_slice<ConnectionCatalog>();
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

std::optional<core::Lookup::ConnectionFacts> Probes::connection(std::int64_t id) {
    struct Found {
        bool found;
        int64 group_id;
        const char *type;
    };
    Found f = pg_call([id]() {
        const ConnectionCatalog &c = catalog_slice<ConnectionCatalog>();
        Found found{false, 0, nullptr};
        ProbeKey key{c.id, Int64GetDatum(id), false};
        probe(c.rel, c.pk, 1, &key, 1, [&](HeapTuple tuple, TupleDesc desc) {
            bool isnull;
            found.found = true;
            found.group_id = DatumGetInt64(heap_getattr(tuple, c.group_id, desc, &isnull));
            found.type = TextDatumGetCString(heap_getattr(tuple, c.type, desc, &isnull));
        });
        return found;
    });
    if (!f.found) {
        return std::nullopt;
    }
    return ConnectionFacts{f.group_id, f.type};
}

bool Probes::has_credentials(std::int64_t connection_id) {
    return pg_call([connection_id]() {
        const ConnectionCatalog &c = catalog_slice<ConnectionCatalog>();
        ProbeKey key{c.auth_connection_id, Int64GetDatum(connection_id), false};
        return probe(c.auth_rel, c.auth_pk, 1, &key, 1, [](HeapTuple, TupleDesc) {}) > 0;
    });
}

}  // namespace syncmaster::pg
