// Probes for the test suites: a library of their own (pg_syncmaster_probes, installed by
// `make install-probes`, never by `make install`), so that nothing of them ships in
// pg_syncmaster.so.
//
// The pgTAP files create SQL functions for these symbols inside their own transaction (CREATE
// FUNCTION ... AS 'pg_syncmaster_probes', '<symbol>') and roll them back. selftest_raise raises
// each kind of error the entry guard must translate, with C++ objects alive whose destructors must
// run (the guard is compiled into this library from the same source); the counters are the
// extension's own, read through syncmaster_work_counters.
#include "core/error.hpp"

#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>

#include "pg/entry.hpp"

extern "C" {
PG_MODULE_MAGIC;
}

using namespace syncmaster;

namespace {

int destructor_runs = 0;

// Counts its destruction: proof that unwinding ran the destructors of the frames it left.
class Witness {
public:
    Witness() = default;
    Witness(const Witness &) = delete;
    Witness &operator=(const Witness &) = delete;
    ~Witness() { ++destructor_runs; }
};

// A C++ frame between the entry guard and a PostgreSQL error, holding a Witness and a std::string.
void divide_by_zero_in_postgres() {
    Witness inner;
    std::string owned(64, 'x');
    pg::pg_call([]() { DirectFunctionCall2(int4div, Int32GetDatum(1), Int32GetDatum(0)); });
}

}  // namespace

// selftest_raise(kind text) → text: raises the error named by kind, or returns 'ok' for 'none'.
SYNCMASTER_FUNCTION(syncmaster_selftest_raise) {
    const char *kind_c = pg::pg_call([fcinfo]() { return text_to_cstring(PG_GETARG_TEXT_PP(0)); });
    std::string kind(kind_c);
    Witness outer;
    if (kind == "domain") {
        throw core::Error(core::sqlstate::kInvalidInput, "selftest: a domain error",
                          "The detail travels.", "So does the hint.");
    }
    if (kind == "postgres") {
        divide_by_zero_in_postgres();
    }
    if (kind == "bad_alloc") {
        // A real allocation failure, not a thrown object: more than the address space.
        void *p = ::operator new(std::numeric_limits<std::size_t>::max() / 2);
        ::operator delete(p);
    }
    if (kind == "std") {
        throw std::logic_error("selftest: a std::logic_error");
    }
    if (kind == "unknown") {
        throw 42;
    }
    if (kind == "long_message") {
        throw core::Error(core::sqlstate::kInvalidInput, std::string(5000, 'm'));
    }
    if (kind != "none") {
        throw core::Error(core::sqlstate::kInvalidInput, "selftest: unknown kind \"" + kind + "\"");
    }
    return pg::pg_call([]() { return CStringGetTextDatum("ok"); });
}

// selftest_destructor_runs() → int: how many Witness destructors ran in this backend.
SYNCMASTER_FUNCTION(syncmaster_selftest_destructor_runs) {
    PG_RETURN_INT32(destructor_runs);
}

namespace {

using Counters = void (*)(int64 *, int64 *, int64 *, int64 *);

// The extension's counters, from the extension's library (loaded if it is not yet).
struct Read {
    int64 jsonb_read, jsonb_written, vectors, searches_by_index;
};
Read work_counters() {
    return pg::pg_call([]() {
        auto read = reinterpret_cast<Counters>(load_external_function(
            "$libdir/pg_syncmaster", "syncmaster_work_counters", true, nullptr));
        Read r{0, 0, 0, 0};
        read(&r.jsonb_read, &r.jsonb_written, &r.vectors, &r.searches_by_index);
        return r;
    });
}

}  // namespace

// selftest_jsonb_values_read() → bigint: jsonb values this backend's triggers read.
SYNCMASTER_FUNCTION(syncmaster_selftest_jsonb_values_read) {
    PG_RETURN_INT64(work_counters().jsonb_read);
}

// selftest_jsonb_values_written() → bigint: jsonb values this backend's triggers wrote.
SYNCMASTER_FUNCTION(syncmaster_selftest_jsonb_values_written) {
    PG_RETURN_INT64(work_counters().jsonb_written);
}

// selftest_search_vectors_built() → bigint: search vectors this backend computed.
SYNCMASTER_FUNCTION(syncmaster_selftest_search_vectors_built) {
    PG_RETURN_INT64(work_counters().vectors);
}

// selftest_searches_by_index() → bigint: searches this backend answered from the GIN index.
SYNCMASTER_FUNCTION(syncmaster_selftest_searches_by_index) {
    PG_RETURN_INT64(work_counters().searches_by_index);
}
