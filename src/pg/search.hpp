// Search for the list functions: SyncMaster's query of a search string.
#pragma once

#include <optional>
#include <string>

#include "core/search.hpp"

#include "pg/pg.hpp"
#include "pg/spi.hpp"

namespace syncmaster::pg {

// What the search trigger builds a row's vector from, by the entity its argument names: given by
// the extension's entry (_PG_init), which knows the entities; nothing here does.
using SearchableOf = const core::search::Searchable &(*)(const std::string &entity);
void register_searchables(SearchableOf of);

// SyncMaster's tsquery of a search string (core::search::tsquery_text), ORed with
// plainto_tsquery('russian', search); the empty query, which matches nothing, for a search without
// a word. In the current memory context (C++ regime).
Datum search_query(const std::string &raw);

// The search argument of a list function as a tsquery argument: checked against its bound (22023),
// NULL for no search (NULL or empty).
Arg search_arg(const std::optional<std::string> &search);

// How many index entries (posting list items) a GIN index on `column` of `relid` reads for
// `query` (a tsquery Datum), estimated from ANALYZE's statistics: for each of the query's words,
// the share of rows holding it (a prefix: every frequent word it begins, and half the rarest share
// ANALYZE kept for those it did not), times the table's rows. A GIN scan reads every such entry
// whatever the answer, so this, not the planner's estimate of the matches, is what it costs.
// PostgreSQL-regime.
double gin_entries(Oid relid, AttrNumber column, Datum query);

// How many searches of search_connections() this backend answered from the GIN index rather than
// from the groups' rows (the test probes read it).
extern std::int64_t searches_by_index;

}  // namespace syncmaster::pg
