// The rules of connections and queues that hold for every path (DESIGN §7.2, §6): BEFORE row
// triggers named "rules", fired after the guard has allowed the change. Connections: data
// validated and normalized for the type, names unique in the group, the type of a connection in
// use kept, a connection in use not deleted. Queues: printable names, the slug fixed at creation,
// normalized names unique in the group, a queue in use not deleted.
#include "core/connection_types.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/json.hpp"
#include "core/in_use.hpp"
#include "core/names.hpp"

#include <string>

#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/relations.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

namespace ct = core::connection_types;

// The first key of the advisory locks that serialize queue naming per group ("QNAM").
constexpr uint32 kQueueNamesLockClass = 0x514E414D;

// The columns the rules read, as plain data that may cross pg_call().
struct Row {
    int64 id;
    int64 group_id;
    const char *name;
    const char *type;  // connection
    const char *data;  // connection: jsonb as text
    const char *slug;  // queue
};

Row read_row(const TriggerData *trigger, HeapTuple tuple, bool connection) {
    return pg_call([trigger, tuple, connection]() {
        TupleDesc desc = RelationGetDescr(trigger->tg_relation);
        auto column = [&](const char *name, bool *isnull) {
            return heap_getattr(tuple, trigger_column(trigger, name), desc, isnull);
        };
        bool isnull;
        Row r{0, 0, "", nullptr, nullptr, nullptr};
        r.id = DatumGetInt64(column("id", &isnull));
        r.group_id = DatumGetInt64(column("group_id", &isnull));
        Datum name = column("name", &isnull);
        r.name = isnull ? "" : TextDatumGetCString(name);
        if (connection) {
            Datum type = column("type", &isnull);
            r.type = isnull ? "" : TextDatumGetCString(type);
            Datum data = column("data", &isnull);
            if (!isnull) {
                Jsonb *jb = DatumGetJsonbP(data);
                r.data = JsonbToCString(nullptr, &jb->root, VARSIZE(jb));
            }
        } else {
            Datum slug = column("slug", &isnull);
            r.slug = isnull ? nullptr : TextDatumGetCString(slug);
        }
        return r;
    });
}

// The checks below read the tables through their indexes, as the identity lookups do: no plan
// chosen when a table was small turns a bulk insert quadratic, and row-level security does not
// apply. They see the latest committed rows (relations.hpp); a concurrent insert not yet
// committed is caught by the unique indexes or the foreign keys.

// How many transfers use a connection (as source or target, a transfer counted once) or a queue.
int64 transfers_using(bool connection, int64 id) {
    return pg_call([connection, id]() {
        const Catalog &c = catalog();
        int64 count = 0;
        if (!connection) {
            ProbeKey queue{c.transfer_queue_id, Int64GetDatum(id), false};
            return int64(probe(c.transfer_rel, c.transfer_queue_idx, 1, &queue, 0,
                               [](HeapTuple, TupleDesc) {}));
        }
        ProbeKey source{c.transfer_source_id, Int64GetDatum(id), false};
        count += probe(c.transfer_rel, c.transfer_source_idx, 1, &source, 0,
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

bool connection_name_taken(int64 group_id, const char *name, int64 own_id) {
    return pg_call([group_id, name, own_id]() {
        const Catalog &c = catalog();
        bool taken = false;
        ProbeKey keys[2] = {{c.connection_name, CStringGetTextDatum(name), true},
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

// Whether another queue of the group has the same short name (or slug) as `name`. No index can
// say it (names are unique once normalized, and a renamed queue keeps its first slug), so the
// check takes a transaction-level advisory lock on the group first: two sessions naming queues of
// one group take turns, and the second, reading the latest committed rows after the lock, sees
// what the first committed.
bool queue_name_taken(int64 group_id, const std::string &name, int64 own_id) {
    // name, slug, name, slug, ...
    PgArray<char *> names = pg_call([group_id, own_id]() {
        LOCKTAG tag;
        SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, kQueueNamesLockClass, static_cast<uint32>(group_id),
                             2);
        (void)LockAcquire(&tag, ExclusiveLock, false, false);
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
    std::string short_name = core::names::queue_short_name(name);
    std::string slug = core::names::queue_slug(group_id, name);
    for (int i = 0; i < names.count; i += 2) {
        if (core::names::queue_short_name(names.values[i]) == short_name ||
            slug == names.values[i + 1]) {
            return true;
        }
    }
    return false;
}

bool deleted_with_its_group(int64 group_id) {
    return cascaded(core::permissions::Standing{group_owner(group_id).has_value(), false, {}});
}

Datum replace_column(const TriggerData *trigger, HeapTuple tuple, const char *column, Datum value) {
    return pg_call([trigger, tuple, column, value]() {
        int attnum = trigger_column(trigger, column);
        Datum v = value;
        bool isnull = false;
        return PointerGetDatum(heap_modify_tuple_by_cols(
            tuple, RelationGetDescr(trigger->tg_relation), 1, &attnum, &v, &isnull));
    });
}

TriggerData *rules_trigger(FunctionCallInfo fcinfo, const char *name) {
    return pg_call([fcinfo, name]() { return before_row_trigger(fcinfo, name); });
}

}  // namespace
}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON connection.
SYNCMASTER_FUNCTION(syncmaster_connection_rules) {
    TriggerData *trigger = pg::rules_trigger(fcinfo, "syncmaster.connection_rules");
    pg::RowEvent event = pg::row_event(trigger);
    if (event == pg::RowEvent::kDelete) {
        pg::Row old_row = pg::read_row(trigger, trigger->tg_trigtuple, true);
        if (!pg::deleted_with_its_group(old_row.group_id)) {
            core::in_use::check_connection_deletable(pg::transfers_using(true, old_row.id));
        }
        return PointerGetDatum(trigger->tg_trigtuple);
    }
    HeapTuple tuple = event == pg::RowEvent::kUpdate ? trigger->tg_newtuple : trigger->tg_trigtuple;
    pg::Row row = pg::read_row(trigger, tuple, true);
    core::fields::check("connection", "name", row.name);
    if (event == pg::RowEvent::kUpdate) {
        pg::Row old_row = pg::read_row(trigger, trigger->tg_trigtuple, true);
        bool same_type = std::string(old_row.type) == row.type;
        if (!same_type) {
            core::in_use::check_connection_type_change(pg::transfers_using(true, row.id));
        }
        if (std::string(old_row.name) != row.name || old_row.group_id != row.group_id) {
            if (pg::connection_name_taken(row.group_id, row.name, row.id)) {
                core::in_use::name_taken("connection");
            }
        }
        // Data already normalized for this type stays as it is: an update of the name or the
        // description parses no JSON.
        if (same_type && old_row.data != nullptr && row.data != nullptr &&
            std::string(old_row.data) == row.data) {
            return PointerGetDatum(tuple);
        }
    } else if (pg::connection_name_taken(row.group_id, row.name, row.id)) {
        core::in_use::name_taken("connection");
    }
    core::connection_types::Json data = core::connection_types::normalize_data(
        row.type, row.data == nullptr ? core::connection_types::Json(nullptr)
                                      : core::json::parse(row.data, "connection data"));
    std::string normalized = data.dump();
    const char *text = normalized.c_str();
    Datum jsonb =
        pg::pg_call([text]() { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text)); });
    return pg::replace_column(trigger, tuple, "data", jsonb);
}

// BEFORE INSERT OR UPDATE OR DELETE ON queue.
SYNCMASTER_FUNCTION(syncmaster_queue_rules) {
    TriggerData *trigger = pg::rules_trigger(fcinfo, "syncmaster.queue_rules");
    pg::RowEvent event = pg::row_event(trigger);
    if (event == pg::RowEvent::kDelete) {
        pg::Row old_row = pg::read_row(trigger, trigger->tg_trigtuple, false);
        if (!pg::deleted_with_its_group(old_row.group_id)) {
            core::in_use::check_queue_deletable(pg::transfers_using(false, old_row.id));
        }
        return PointerGetDatum(trigger->tg_trigtuple);
    }
    if (event == pg::RowEvent::kInsert) {
        pg::Row row = pg::read_row(trigger, trigger->tg_trigtuple, false);
        core::fields::check("queue", "name", row.name);
        if (pg::queue_name_taken(row.group_id, row.name, row.id)) {
            core::in_use::name_taken("queue");
        }
        // The system may bring a queue with its slug (a pg_dump restore, a move from SyncMaster,
        // where a renamed queue kept its first slug); anyone else gets the slug of the name.
        if (row.slug != nullptr && pg::current_actor().actor.system) {
            return PointerGetDatum(trigger->tg_trigtuple);
        }
        std::string slug = core::names::queue_slug(row.group_id, row.name);
        Datum value = pg::pg_call([&slug]() { return CStringGetTextDatum(slug.c_str()); });
        return pg::replace_column(trigger, trigger->tg_trigtuple, "slug", value);
    }
    pg::Row old_row = pg::read_row(trigger, trigger->tg_trigtuple, false);
    pg::Row row = pg::read_row(trigger, trigger->tg_newtuple, false);
    if (row.group_id != old_row.group_id) {
        throw core::Error(core::sqlstate::kInvalidInput, "A queue cannot move to another group",
                          "Its slug names the group it was created in.");
    }
    if (row.slug == nullptr || std::string(row.slug) != old_row.slug) {
        throw core::Error(core::sqlstate::kInvalidInput, "The slug of a queue cannot change",
                          "It is fixed when the queue is created.");
    }
    if (std::string(row.name) != old_row.name) {
        core::fields::check("queue", "name", row.name);
        if (pg::queue_name_taken(row.group_id, row.name, row.id)) {
            core::in_use::name_taken("queue");
        }
    }
    return PointerGetDatum(trigger->tg_newtuple);
}
