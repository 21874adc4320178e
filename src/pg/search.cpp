// Search: search_query(text) and the trigger that keeps the search_vector columns.
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

}  // namespace

std::int64_t searches_by_index = 0;

namespace {

Oid text_search_config(const char *name) {
    return get_ts_config_oid(
        list_make2(makeString(pstrdup("pg_catalog")), makeString(pstrdup(name))), false);
}

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

// The texts of a row's vector, as core::search::vector_parts takes them.
struct RowTexts {
    std::string name;
    std::vector<std::vector<std::string>> groups;
    bool operator==(const RowTexts &other) const {
        return name == other.name && groups == other.groups;
    }
};

RowTexts read_texts(const core::search::Searchable &searchable, const TriggerData *trigger,
                    HeapTuple tuple) {
    RowValues values(trigger, tuple);
    RowTexts t{as_text(values["name"]).value_or(""), {}};
    for (int g = 0; g < searchable.count; ++g) {
        const core::search::TextGroup &group = searchable.groups[g];
        t.groups.emplace_back();
        for (int i = 0; i < group.count; ++i) {
            const core::search::Text &text = group.texts[i];
            ColumnValue v = values[text.column];
            if (text.json_field == nullptr) {
                t.groups.back().push_back(as_text(v).value_or(""));
            } else if (v.isnull) {
                t.groups.back().emplace_back();
            } else {
                const char *key = text.json_field;
                t.groups.back().emplace_back(
                    pg_call([v, key]() { return json_field(v.datum, key); }));
            }
        }
    }
    return t;
}

// UPDATE: whether every column the vector is made of holds the same stored bytes as before, so
// that nothing (a large TOASTed data above all) is fetched or read.
bool same_sources(const core::search::Searchable &searchable, const TriggerData *trigger) {
    std::vector<const char *> columns = {"name"};
    for (int g = 0; g < searchable.count; ++g) {
        for (int i = 0; i < searchable.groups[g].count; ++i) {
            columns.push_back(searchable.groups[g].texts[i].column);
        }
    }
    const char *const *data = columns.data();
    std::size_t count = columns.size();
    return pg_call([data, count, trigger]() {
        for (std::size_t i = 0; i < count; ++i) {
            if (!attribute_unchanged(trigger, trigger_column(trigger, data[i]))) {
                return false;
            }
        }
        return true;
    });
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

SearchableOf searchables = nullptr;

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

void register_searchables(SearchableOf of) {
    searchables = of;
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

double gin_entries(Oid relid, AttrNumber column, Datum query) {
    HeapTuple rel = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(rel)) {
        return 0;
    }
    double rows = std::max<double>(reinterpret_cast<Form_pg_class>(GETSTRUCT(rel))->reltuples, 0);
    ReleaseSysCache(rel);
    AttStatsSlot slot;
    HeapTuple stats = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(relid), Int16GetDatum(column),
                                      BoolGetDatum(false));
    bool have = HeapTupleIsValid(stats) &&
                get_attstatsslot(&slot, stats, STATISTIC_KIND_MCELEM, InvalidOid,
                                 ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS) &&
                slot.nnumbers >= slot.nvalues + 2;  // then the least and the greatest share
    // A word ANALYZE did not keep is taken at half the rarest share it kept, as PostgreSQL's own
    // estimate of @@ does; without statistics, every word as in every row.
    double rarest = have ? slot.numbers[slot.nvalues] / 2 : 1.0;
    TSQuery q = DatumGetTSQuery(query);
    QueryItem *items = GETQUERY(q);
    double share = 0;
    for (int i = 0; i < q->size; ++i) {
        if (items[i].type != QI_VAL) {
            continue;
        }
        const QueryOperand &word = items[i].qoperand;
        const char *spelled = GETOPERAND(q) + word.distance;
        double found = 0;
        bool known = false;
        for (int v = 0; have && v < slot.nvalues; ++v) {
            const text *lexeme = DatumGetTextPP(slot.values[v]);
            int length = VARSIZE_ANY_EXHDR(lexeme);
            // A prefix matches the longer words it begins; a word, itself.
            bool fits = word.prefix ? length >= word.length : length == word.length;
            if (fits && memcmp(VARDATA_ANY(lexeme), spelled, word.length) == 0) {
                found += slot.numbers[v];
                known = true;
            }
        }
        share += found + (known && !word.prefix ? 0 : rarest);
    }
    if (have) {
        free_attstatsslot(&slot);
    }
    if (HeapTupleIsValid(stats)) {
        ReleaseSysCache(stats);
    }
    return share * rows;
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
    if (pg::searchables == nullptr) {
        throw core::Error(core::sqlstate::kInternal, "no searchable entities registered");
    }
    const core::search::Searchable &searchable = pg::searchables(trigger->tg_trigger->tgargs[0]);
    bool update = fired.event == pg::RowEvent::kUpdate;
    HeapTuple row = fired.new_row();
    bool same_sources = update && pg::same_sources(searchable, trigger);
    pg::RowTexts texts;
    if (!same_sources) {
        texts = pg::read_texts(searchable, trigger, row);
    }
    if (same_sources || (update && texts == pg::read_texts(searchable, trigger, fired.old_row()))) {
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
    Datum vector = pg::build_vector(core::search::vector_parts(texts.name, texts.groups));
    return pg::pg_call([trigger, row, vector]() {
        int column = pg::trigger_column(trigger, "search_vector");
        Datum value = vector;
        bool isnull = false;
        return PointerGetDatum(heap_modify_tuple_by_cols(
            row, RelationGetDescr(trigger->tg_relation), 1, &column, &value, &isnull));
    });
}

// What the test probes read (test/probes): how many jsonb values this backend's triggers read and
// wrote, how many search vectors it computed, and how many searches it answered from the GIN
// index (pg::searches_by_index). A plain C function, not callable from SQL; the probes library
// finds it with load_external_function.
extern "C" PGDLLEXPORT void syncmaster_work_counters(int64 *jsonb_read, int64 *jsonb_written,
                                                     int64 *vectors, int64 *by_index) {
    *jsonb_read = pg::jsonb_values_read();
    *jsonb_written = pg::jsonb_values_written();
    *vectors = pg::vectors_built;
    *by_index = pg::searches_by_index;
}
