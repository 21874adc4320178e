// SPI helpers: statements the extension runs itself, prepared once and kept.
#pragma once

#include "pg/entry.hpp"
#include "pg/relations.hpp"

namespace syncmaster::pg {

// A kept plan, prepared on first use into *slot. The statement text must spell every operator
// out of pg_catalog (OPERATOR(pg_catalog.=)) so that no search_path can change what it means.
// PostgreSQL-regime.
SPIPlanPtr kept_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types);

// The int8 first column of the first row a plan returns, as plain data that may cross pg_call().
struct FirstInt8 {
    bool found;  // a row came back, and the column was not NULL
    int64 value;
};

// Executes a plan (read-write) and returns the first column of its first row. PostgreSQL-regime,
// with SPI connected.
FirstInt8 execute_first_int8(SPIPlanPtr plan, Datum *values, const char *nulls);

// Runs fn with SPI connected, as the owner of the extension's tables (whom row-level security does
// not filter), inside one pg_call. fn is PostgreSQL-regime code and returns a plain value.
template <typename Fn>
auto as_table_owner(Fn fn) {
    return pg_call([fn]() {
        Oid saved_user;
        int saved_context;
        GetUserIdAndSecContext(&saved_user, &saved_context);
        SetUserIdAndSecContext(catalog().owner, saved_context | SECURITY_LOCAL_USERID_CHANGE);
        if (SPI_connect() != SPI_OK_CONNECT) {
            elog(ERROR, "SPI_connect failed");
        }
        auto result = fn();
        SPI_finish();
        SetUserIdAndSecContext(saved_user, saved_context);
        return result;
    });
}

// Runs fn with SPI connected as the calling role (row-level security and the triggers judge it),
// inside one pg_call. fn is PostgreSQL-regime code and returns a plain value.
template <typename Fn>
auto as_caller(Fn fn) {
    return pg_call([fn]() {
        if (SPI_connect() != SPI_OK_CONNECT) {
            elog(ERROR, "SPI_connect failed");
        }
        auto result = fn();
        SPI_finish();
        return result;
    });
}

// A bigint[] of these values, in the current memory context. PostgreSQL-regime.
Datum int8_array(const std::int64_t *values, int count);

// The tables other rows refer to by foreign key.
enum class Referenced { kUser, kConnection, kQueue };

// Locks the rows of `table` with these ids FOR KEY SHARE, as the tables' owner, waiting for a
// transaction that deletes one. The foreign key check at the end of a statement takes the same
// lock, but only after the rules trigger has looked the rows up: a delete committed in between made
// the write fail with the table's raw 23503 where the same steps in sequence give the rules' error
// (P0002 "Connection not found"). Locked first, the rules see what the delete left. C++ regime.
void lock_referenced(Referenced table, const std::int64_t *ids, int count);

}  // namespace syncmaster::pg
