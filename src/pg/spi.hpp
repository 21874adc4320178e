// The statements the extension runs itself (pg::Statement): prepared once per backend, kept, run
// as the caller or as the tables' owner, with typed arguments and results.
#pragma once

#include "pg/entry.hpp"
#include "pg/relations.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace syncmaster::pg {

// One argument of a Statement, as plain C++ data: converted to its Datum inside the guard.
struct Arg {
    Oid type = TEXTOID;  // INT8OID, BOOLOID, TEXTOID, JSONBOID (its JSON text), or any type as a
    bool isnull = true;  // Datum the caller already holds (a function's argument)
    std::int64_t number = 0;
    std::string text;
    bool has_datum = false;
    Datum datum = 0;
};
Arg int8_arg(std::optional<std::int64_t> value);
Arg bool_arg(std::optional<bool> value);
Arg text_arg(std::optional<std::string> value);
Arg jsonb_arg(std::optional<std::string> json);
// Argument i of the calling SQL function as it is, declared as `type`.
Arg function_arg(FunctionCallInfo fcinfo, int i, Oid type);
// A Datum of `type` the caller holds (in a memory context that outlives the statement).
Arg datum_arg(Oid type, Datum value);

// The rows a Statement returned, each column as its text (nullopt for NULL).
struct Result {
    std::uint64_t processed = 0;
    std::vector<std::vector<std::optional<std::string>>> rows;

    bool empty() const { return rows.empty(); }
    const std::optional<std::string> &text(std::size_t row, std::size_t column) const {
        return rows.at(row).at(column);
    }
    std::optional<std::int64_t> int8(std::size_t row, std::size_t column) const;
    bool boolean(std::size_t row, std::size_t column) const;  // NULL reads as false
};

// Whose rights a Statement runs with: the calling role's (row-level security and the triggers
// judge it) or those of the extension tables' owner (whom row-level security does not filter).
enum class As { kCaller, kTableOwner };

// A statement the extension runs itself, prepared at its first run with the types of its arguments
// and kept for the backend; the one way the extension runs SQL (C++ regime; the utility hook, which
// runs in PostgreSQL's regime, keeps its own two). The text must name every object with its schema
// and spell every operator out of pg_catalog (OPERATOR(pg_catalog.=)) so that no search_path can
// change what it means, unless the SQL function that runs it fixes search_path (the API and list
// functions do: pg_catalog, pg_temp).
class Statement {
public:
    explicit Statement(std::string sql) : sql_(std::move(sql)) {}
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Runs it (read-write); `limit` rows at most (0: all).
    Result run(As as, const std::vector<Arg> &args = {}, long limit = 0);
    // The int8 first column of the first row, nullopt for no row (or NULL).
    std::optional<std::int64_t> first_int8(As as, const std::vector<Arg> &args = {});
    // Runs it read-only (a query), as the caller unless the statement itself states what the
    // caller may see, and returns its rows as the result of the calling set-returning function
    // (materialized), whose declared columns its own must match type for type.
    Datum return_rows(FunctionCallInfo fcinfo, const std::vector<Arg> &args, As as = As::kCaller);
    // The rows the planner expects the statement (a query) to return with these arguments: what
    // it would plan for these values, without running it.
    double estimated_rows(As as, const std::vector<Arg> &args);

private:
    std::string sql_;
    SPIPlanPtr plan_ = nullptr;
};

// A bigint[] of these values, in the current memory context. PostgreSQL-regime.
Datum int8_array(const std::int64_t *values, int count);
// The same as a Statement argument (a bigint[] built in the current memory context). C++ regime.
Arg int8_array_arg(const std::vector<std::int64_t> &values);

// The tables other rows refer to by foreign key.
enum class Referenced { kUser, kConnection, kQueue };

// Locks the rows of `table` with these ids FOR KEY SHARE, as the tables' owner, waiting for a
// transaction that deletes one. The foreign key check at the end of a statement takes the same
// lock, but only after the rules trigger has looked the rows up: a delete committed in between made
// the write fail with the table's raw 23503 where the same steps in sequence give the rules' error
// (P0002 "Connection not found"). Locked first, the rules see what the delete left. C++ regime.
void lock_referenced(Referenced table, const std::int64_t *ids, int count);

}  // namespace syncmaster::pg
