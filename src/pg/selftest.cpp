// Probes of the C++/PostgreSQL boundary, for the test suites only.
//
// The extension script creates no SQL function for these symbols; test/pgtap/04_boundary.sql
// creates them inside its own transaction (CREATE FUNCTION ... AS 'pg_syncmaster', '<symbol>') and
// rolls them back. They raise each kind of error the entry guard must translate, with C++ objects
// alive whose destructors must run.
#include "core/error.hpp"

#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>

#include "pg/entry.hpp"

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
