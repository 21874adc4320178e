// Search (DESIGN §11): search_query(text) and the trigger that keeps the search_vector columns.
//
// The vector is SyncMaster's formula, computed in the same order so that it equals what
// SyncMaster's generated columns hold: the name through the russian and simple configurations,
// then the name with ./-_:\ as spaces through simple; for connections data->>'host' both ways;
// for transfers table_name (source, target) plain then split, and directory_path the same. It is
// recomputed only when one of those sources changed: an UPDATE of anything else calls no
// to_tsvector.
#include "core/error.hpp"
#include "core/search.hpp"

#include <string>
#include <utility>
#include <vector>

#include "pg/search.hpp"

#include "pg/api.hpp"
#include "pg/entry.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

// How many vectors this backend computed: the self-test reads it to prove an unrelated UPDATE
// computes none.
int64 vectors_built = 0;

Oid text_search_config(const char *name) {
    return get_ts_config_oid(
        list_make2(makeString(pstrdup("pg_catalog")), makeString(pstrdup(name))), false);
}

// The texts a row's vector is made of, by entity.
enum class Source { kGroup, kQueue, kConnection, kTransfer };

// A jsonb object's field as text (->>): "" when missing or JSON null. PostgreSQL-regime.
const char *json_field(Datum jsonb_datum, const char *key) {
    Jsonb *jb = read_jsonb(jsonb_datum);
    if (!JB_ROOT_IS_OBJECT(jb)) {
        return "";
    }
    JsonbValue value;
    JsonbValue *found = getKeyJsonValueFromContainer(&jb->root, key, strlen(key), &value);
    if (found == nullptr) {
        return "";
    }
    switch (found->type) {
        case jbvString:
            return pnstrdup(found->val.string.val, found->val.string.len);
        case jbvNumeric:
            return DatumGetCString(
                DirectFunctionCall1(numeric_out, NumericGetDatum(found->val.numeric)));
        case jbvBool:
            return found->val.boolean ? "true" : "false";
        default:
            return "";
    }
}

// The source texts of a row, in SyncMaster's order.
struct Texts {
    const char *name;
    const char *extra[4];  // host; or source/target table_name, source/target directory_path
    int extras;
};

Texts read_texts(Source source, const TriggerData *trigger, HeapTuple tuple) {
    return pg_call([source, trigger, tuple]() {
        TupleDesc desc = RelationGetDescr(trigger->tg_relation);
        auto column = [&](const char *name, bool *isnull) {
            return heap_getattr(tuple, trigger_column(trigger, name), desc, isnull);
        };
        bool isnull;
        Texts t{"", {"", "", "", ""}, 0};
        Datum name = column("name", &isnull);
        t.name = isnull ? "" : TextDatumGetCString(name);
        if (source == Source::kConnection) {
            Datum data = column("data", &isnull);
            t.extra[0] = isnull ? "" : json_field(data, "host");
            t.extras = 1;
        } else if (source == Source::kTransfer) {
            bool src_null, tgt_null;
            Datum src = column("source_params", &src_null);
            Datum tgt = column("target_params", &tgt_null);
            t.extra[0] = src_null ? "" : json_field(src, "table_name");
            t.extra[1] = tgt_null ? "" : json_field(tgt, "table_name");
            t.extra[2] = src_null ? "" : json_field(src, "directory_path");
            t.extra[3] = tgt_null ? "" : json_field(tgt, "directory_path");
            t.extras = 4;
        }
        return t;
    });
}

// UPDATE: whether every column the vector is made of holds the same stored bytes as before, so
// that nothing (a large TOASTed data above all) is fetched or read. PostgreSQL-regime.
bool same_sources(Source source, const TriggerData *trigger) {
    static const char *const group_columns[] = {"name", nullptr};
    static const char *const connection_columns[] = {"name", "data", nullptr};
    static const char *const transfer_columns[] = {"name", "source_params", "target_params",
                                                   nullptr};
    const char *const *columns = source == Source::kConnection ? connection_columns
                                 : source == Source::kTransfer ? transfer_columns
                                                               : group_columns;
    for (; *columns != nullptr; ++columns) {
        if (!attribute_unchanged(trigger, trigger_column(trigger, *columns))) {
            return false;
        }
    }
    return true;
}

bool same_texts(const Texts &a, const Texts &b) {
    if (std::string(a.name) != b.name || a.extras != b.extras) {
        return false;
    }
    for (int i = 0; i < a.extras; ++i) {
        if (std::string(a.extra[i]) != b.extra[i]) {
            return false;
        }
    }
    return true;
}

// The (configuration, text) pairs whose to_tsvector, concatenated, is the row's vector.
std::vector<std::pair<bool, std::string>> vector_parts(Source source, const Texts &t) {
    using core::search::split_separators;
    std::vector<std::pair<bool, std::string>> parts = {
        {true, t.name}, {false, t.name}, {false, split_separators(t.name)}};
    if (source == Source::kConnection) {
        parts.emplace_back(false, t.extra[0]);
        parts.emplace_back(false, split_separators(t.extra[0]));
    } else if (source == Source::kTransfer) {
        for (int pair = 0; pair < 2; ++pair) {  // table_name, then directory_path
            const char *src = t.extra[2 * pair], *tgt = t.extra[2 * pair + 1];
            parts.emplace_back(false, src);
            parts.emplace_back(false, tgt);
            parts.emplace_back(false, split_separators(src));
            parts.emplace_back(false, split_separators(tgt));
        }
    }
    return parts;
}

// to_tsvector of each part ('russian' when the flag is set, else 'simple'), concatenated. A part
// equal to an earlier one (the translated name of a name without separators, say) reuses its
// vector, and an empty text adds nothing to the concatenation, so neither is computed: the result
// is the same vector.
Datum build_vector(const std::vector<std::pair<bool, std::string>> &parts) {
    const std::pair<bool, std::string> *data = parts.data();
    std::size_t count = parts.size();
    ++vectors_built;
    return pg_call([data, count]() {
        // Built-in configurations, whose OIDs never change. (No C++ object lives in this
        // PostgreSQL-regime frame, which an ERROR leaves by longjmp.)
        static Oid russian = InvalidOid, simple = InvalidOid;
        if (russian == InvalidOid) {
            russian = text_search_config("russian");
            simple = text_search_config("simple");
        }
        Datum *computed = static_cast<Datum *>(palloc0(count * sizeof(Datum)));
        Datum vector = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (data[i].second.empty()) {
                continue;
            }
            for (std::size_t j = 0; j < i && computed[i] == 0; ++j) {
                if (computed[j] != 0 && data[j] == data[i]) {
                    computed[i] = computed[j];
                }
            }
            if (computed[i] == 0) {
                computed[i] = DirectFunctionCall2(
                    to_tsvector_byid, ObjectIdGetDatum(data[i].first ? russian : simple),
                    CStringGetTextDatum(data[i].second.c_str()));
            }
            vector = vector == 0 ? computed[i]
                                 : DirectFunctionCall2(tsvector_concat, vector, computed[i]);
        }
        return vector != 0 ? vector
                           : DirectFunctionCall2(to_tsvector_byid, ObjectIdGetDatum(simple),
                                                 CStringGetTextDatum(""));
    });
}

Source parse_source(const char *entity) {
    std::string e(entity);
    if (e == "group") {
        return Source::kGroup;
    }
    if (e == "queue") {
        return Source::kQueue;
    }
    if (e == "connection") {
        return Source::kConnection;
    }
    if (e == "transfer") {
        return Source::kTransfer;
    }
    throw core::Error(core::sqlstate::kTriggerProtocol,
                      "syncmaster.search_vector: unknown entity \"" + e + "\"",
                      "Use group, queue, connection or transfer.");
}

}  // namespace
Datum search_query(const std::string &raw) {
    std::string words = core::search::tsquery_text(raw);
    const char *words_c = words.c_str();
    const char *raw_c = raw.c_str();
    return pg_call([raw_c, words_c]() {
        if (*words_c == '\0') {
            // No word at all: the empty query, which matches nothing. plainto_tsquery would say
            // the same with a NOTICE.
            TSQuery empty = static_cast<TSQuery>(palloc0(HDRSIZETQ));
            SET_VARSIZE(empty, HDRSIZETQ);
            empty->size = 0;
            return PointerGetDatum(empty);
        }
        Datum plain = DirectFunctionCall2(plainto_tsquery_byid,
                                          ObjectIdGetDatum(text_search_config("russian")),
                                          CStringGetTextDatum(raw_c));
        Datum query =
            DirectFunctionCall2(to_tsquery_byid, ObjectIdGetDatum(text_search_config("simple")),
                                CStringGetTextDatum(words_c));
        return DirectFunctionCall2(tsquery_or, query, plain);
    });
}

Arg search_arg(const std::optional<std::string> &search) {
    check(core::fields::kSearch, search);
    if (!search || search->empty()) {
        Arg none;
        none.type = TSQUERYOID;
        return none;
    }
    return datum_arg(TSQUERYOID, search_query(*search));
}

}  // namespace syncmaster::pg

using namespace syncmaster;

// search_query(text) → tsquery: pg::search_query.
SYNCMASTER_FUNCTION(syncmaster_search_query) {
    const char *raw = pg::pg_call([fcinfo]() { return text_to_cstring(PG_GETARG_TEXT_PP(0)); });
    return pg::search_query(raw);
}

// BEFORE INSERT OR UPDATE FOR EACH ROW, with one argument: group, queue, connection or transfer.
SYNCMASTER_FUNCTION(syncmaster_search_vector) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.search_vector");
    TriggerData *trigger = fired.trigger;
    if (trigger->tg_trigger->tgnargs != 1 || fired.event == pg::RowEvent::kDelete) {
        throw core::Error(core::sqlstate::kTriggerProtocol,
                          "syncmaster.search_vector is fired BEFORE INSERT OR UPDATE with one "
                          "argument: the entity");
    }
    pg::Source source = pg::parse_source(trigger->tg_trigger->tgargs[0]);
    bool update = TRIGGER_FIRED_BY_UPDATE(trigger->tg_event);
    HeapTuple row = update ? trigger->tg_newtuple : trigger->tg_trigtuple;
    bool same_sources =
        update && pg::pg_call([source, trigger]() { return pg::same_sources(source, trigger); });
    pg::Texts texts{};
    if (!same_sources) {
        texts = pg::read_texts(source, trigger, row);
    }
    if (same_sources ||
        (update && pg::same_texts(texts, pg::read_texts(source, trigger, trigger->tg_trigtuple)))) {
        // Nothing the vector is made of changed: keep the old vector, computing nothing.
        return pg::pg_call([trigger, row]() {
            TupleDesc desc = RelationGetDescr(trigger->tg_relation);
            int column = pg::trigger_column(trigger, "search_vector");
            bool old_null, new_null;
            Datum old_vector = heap_getattr(trigger->tg_trigtuple, column, desc, &old_null);
            Datum new_vector = heap_getattr(row, column, desc, &new_null);
            if (old_null == new_null &&
                (old_null || datumIsEqual(old_vector, new_vector, false, -1))) {
                return PointerGetDatum(row);
            }
            return PointerGetDatum(
                heap_modify_tuple_by_cols(row, desc, 1, &column, &old_vector, &old_null));
        });
    }
    Datum vector = pg::build_vector(pg::vector_parts(source, texts));
    return pg::pg_call([trigger, row, vector]() {
        int column = pg::trigger_column(trigger, "search_vector");
        Datum value = vector;
        bool isnull = false;
        return PointerGetDatum(heap_modify_tuple_by_cols(
            row, RelationGetDescr(trigger->tg_relation), 1, &column, &value, &isnull));
    });
}

// selftest_jsonb_values_read() → bigint: jsonb values this backend's triggers read (for the tests).
SYNCMASTER_FUNCTION(syncmaster_selftest_jsonb_values_read) {
    PG_RETURN_INT64(pg::jsonb_values_read());
}

// selftest_jsonb_values_written() → bigint: jsonb values this backend's triggers wrote.
SYNCMASTER_FUNCTION(syncmaster_selftest_jsonb_values_written) {
    PG_RETURN_INT64(pg::jsonb_values_written());
}

// selftest_search_vectors_built() → bigint: vectors this backend computed (for the tests).
SYNCMASTER_FUNCTION(syncmaster_selftest_search_vectors_built) {
    PG_RETURN_INT64(pg::vectors_built);
}
