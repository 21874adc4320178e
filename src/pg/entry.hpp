// The C++/PostgreSQL boundary.
//
// Two regimes never mix in one frame. PostgreSQL-regime code (palloc, ereport, anything that may
// longjmp) runs only inside pg_call(); C++-regime code (RAII, STL, exceptions) runs everywhere
// else. The crossings:
//
//  * SYNCMASTER_FUNCTION(name) defines a SQL-callable function or trigger whose body is C++. The
//    entry guard catches every C++ exception and, after the C++ frames are gone, reports it with
//    ereport: a core::Error with its own SQLSTATE, message, detail and hint; std::bad_alloc as
//    53200; a PostgreSQL error caught below as itself; anything else as XX000.
//
//  * pg_call(fn) runs fn, a lambda of PostgreSQL-regime code, under PG_TRY. A PostgreSQL error
//    inside it becomes a PgError exception, so the C++ frames between the call and the entry guard
//    unwind and run their destructors; the entry guard then re-throws the original error. fn itself
//    must hold no object with a destructor: a longjmp out of it would skip that destructor.
//
// After a PgError the transaction is doomed: the C++ code only unwinds, and destructors never call
// back into PostgreSQL. Take the guard per batch of PostgreSQL calls, not per row.
#pragma once

#include "core/error.hpp"

#include <exception>
#include <new>
#include <type_traits>

#include "pg/pg.hpp"

namespace syncmaster::pg {

// A PostgreSQL error caught by pg_call(), carried through C++ frames. The ErrorData was copied into
// the memory context that was current when pg_call() began.
class PgError final : public std::exception {
public:
    explicit PgError(ErrorData *edata) noexcept : edata_(edata) {}
    ErrorData *edata() const noexcept { return edata_; }
    const char *what() const noexcept override;

private:
    ErrorData *edata_;
};

// Runs fn under PG_TRY; returns the copied error, or nullptr when fn returned. Kept out of line so
// that no local of pg_call's frame lives across the setjmp.
template <typename Fn>
__attribute__((noinline)) ErrorData *try_postgres(Fn &fn) {
    MemoryContext caller_context = CurrentMemoryContext;
    ErrorData *volatile caught = nullptr;
    PG_TRY();
    { fn(); }
    PG_CATCH();
    {
        MemoryContextSwitchTo(caller_context);
        caught = CopyErrorData();
        FlushErrorState();
    }
    PG_END_TRY();
    return caught;
}

template <typename Fn>
auto pg_call(Fn &&fn) -> decltype(fn()) {
    using Result = decltype(fn());
    static_assert(std::is_void_v<Result> || std::is_trivially_copyable_v<Result>,
                  "pg_call returns plain values only: build C++ objects outside the guard");
    if constexpr (std::is_void_v<Result>) {
        if (ErrorData *caught = try_postgres(fn)) {
            throw PgError(caught);
        }
    } else {
        Result result{};
        auto store = [&result, &fn]() { result = fn(); };
        if (ErrorData *caught = try_postgres(store)) {
            throw PgError(caught);
        }
        return result;
    }
}

// Argument i of the calling SQL function, which it needs: NULL is refused with 22023
// "<name> is required", where a STRICT function would answer NULL having done nothing.
void require_argument(FunctionCallInfo fcinfo, int i, const char *name);

// Argument i of the calling SQL function as text, copied into the current memory context;
// nullptr for SQL NULL.
const char *text_argument(FunctionCallInfo fcinfo, int i);

// Argument i as int8; NULL refused as require_argument does.
int64 required_int8(FunctionCallInfo fcinfo, int i, const char *name);

// What the entry guard will report, copied out of the exception without allocating: filling it in
// cannot fail, and it has no destructor for ereport's longjmp to skip.
struct PendingError {
    enum class Kind { kDomain, kPostgres, kOutOfMemory, kInternal };
    Kind kind = Kind::kInternal;
    ErrorData *edata = nullptr;
    char sqlstate[6] = "XX000";
    char message[1024] = "";
    char detail[1024] = "";
    char hint[512] = "";
    char table[NAMEDATALEN] = "";       // the constraint's table, empty for none
    char constraint[NAMEDATALEN] = "";  // the constraint's name

    void set_domain(const core::Error &error) noexcept;
    void set_internal(const char *what) noexcept;
};
static_assert(std::is_trivially_destructible_v<PendingError>);

// Reports the error with ereport(ERROR); never returns. Should a C++ exception still be in flight
// (the guard reached from a destructor during unwinding), it ends the backend (FATAL) instead:
// ereport's longjmp would skip the frames that unwind it.
[[noreturn]] void report(const PendingError &error, const char *function_name);
[[noreturn]] void exception_in_flight(const char *function_name);

template <typename Body>
Datum guard_entry(const char *function_name, Body body, FunctionCallInfo fcinfo) {
    static_assert(std::is_trivially_destructible_v<Body>);
    PendingError pending;
    try {
        return body(fcinfo);
    } catch (const PgError &e) {
        pending.kind = PendingError::Kind::kPostgres;
        pending.edata = e.edata();
    } catch (const core::Error &e) {
        pending.set_domain(e);
    } catch (const std::bad_alloc &) {
        pending.kind = PendingError::Kind::kOutOfMemory;
    } catch (const std::exception &e) {
        pending.set_internal(e.what());
    } catch (...) {
        pending.set_internal("an exception of unknown type");
    }
    // The exception object and every C++ frame above are gone: ereport may longjmp from here.
    report(pending, function_name);
}

}  // namespace syncmaster::pg

// Defines the SQL-callable function `name` (C symbol and pg_finfo record) whose body follows as a
// block with `fcinfo` in scope, run under the entry guard.
#define SYNCMASTER_FUNCTION(name)                                         \
    static Datum name##_body(FunctionCallInfo fcinfo);                    \
    extern "C" {                                                          \
    PG_FUNCTION_INFO_V1(name);                                            \
    Datum name(PG_FUNCTION_ARGS) {                                        \
        return ::syncmaster::pg::guard_entry(#name, name##_body, fcinfo); \
    }                                                                     \
    }                                                                     \
    static Datum name##_body([[maybe_unused]] FunctionCallInfo fcinfo)
