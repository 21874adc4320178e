// Where the extension's tables are, for code that reads them without SQL.
//
// Identity and permission checks read "user" and friends through their indexes directly: that is
// fast, needs no plan, and does not depend on what row-level security lets the caller see.
// PostgreSQL-regime functions: call them inside pg_call().
#pragma once

#include "pg/pg.hpp"

namespace syncmaster::pg {

inline constexpr const char *kSchema = "syncmaster";

// The OID of syncmaster.<relname>; ERROR when the extension is not installed in this database or
// the relation does not exist.
Oid relation_oid(const char *relname);

// The attribute number of column `column` of relation `relid`; ERROR when there is none.
AttrNumber column_number(Oid relid, const char *column);

// The snapshot a lookup sees: the statement's, so earlier commands of the transaction count.
Snapshot lookup_snapshot();

}  // namespace syncmaster::pg
