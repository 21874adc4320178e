// Search for the list functions: SyncMaster's query of a search string.
#pragma once

#include <optional>
#include <string>

#include "pg/pg.hpp"
#include "pg/spi.hpp"

namespace syncmaster::pg {

// SyncMaster's tsquery of a search string (core::search::tsquery_text), ORed with
// plainto_tsquery('russian', search); the empty query, which matches nothing, for a search without
// a word. In the current memory context (C++ regime).
Datum search_query(const std::string &raw);

// The search argument of a list function as a tsquery argument: checked against its bound (22023),
// NULL for no search (NULL or empty).
Arg search_arg(const std::optional<std::string> &search);

}  // namespace syncmaster::pg
