#include "core/error.hpp"

#include <cstring>

#include "pg/entry.hpp"

namespace syncmaster::pg {

const char *PgError::what() const noexcept {
    return edata_ != nullptr && edata_->message != nullptr ? edata_->message : "PostgreSQL error";
}

// Copies at most size-1 bytes of src and terminates; a message longer than the buffer is cut
// before the character that does not fit, never inside one (src is UTF-8: a byte 10xxxxxx
// continues the character before it), so the client gets valid text in any encoding.
static void copy_bounded(char *dst, std::size_t size, const std::string &src) noexcept {
    std::size_t n = src.size() < size - 1 ? src.size() : size - 1;
    while (n > 0 && n < src.size() && (static_cast<unsigned char>(src[n]) & 0xC0) == 0x80) {
        --n;
    }
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

void PendingError::set_domain(const core::Error &error) noexcept {
    kind = Kind::kDomain;
    copy_bounded(sqlstate, sizeof sqlstate, error.sqlstate());
    copy_bounded(message, sizeof message, error.message());
    copy_bounded(detail, sizeof detail, error.detail());
    copy_bounded(hint, sizeof hint, error.hint());
    copy_bounded(table, sizeof table, error.constraint().table);
    copy_bounded(constraint, sizeof constraint, error.constraint().name);
}

void PendingError::set_internal(const char *what) noexcept {
    kind = Kind::kInternal;
    snprintf(message, sizeof message, "%s", what != nullptr ? what : "");
}

void exception_in_flight(const char *function_name) {
    // Not ERROR: its longjmp would skip the C++ frames still unwinding. The backend ends instead.
    ereport(FATAL, (errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg("internal error in %s: a C++ exception is in flight on the way back to "
                           "PostgreSQL",
                           function_name)));
    pg_unreachable();
}

void report(const PendingError &error, const char *function_name) {
    if (std::uncaught_exceptions() != 0) {
        exception_in_flight(function_name);
    }
    switch (error.kind) {
        case PendingError::Kind::kPostgres:
            ReThrowError(error.edata);
            break;
        case PendingError::Kind::kDomain: {
            const char *s = error.sqlstate;
            ereport(
                ERROR,
                (errcode(MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4])),
                 errmsg_internal("%s", error.message),
                 error.detail[0] != '\0' ? errdetail_internal("%s", error.detail) : 0,
                 error.hint[0] != '\0' ? errhint("%s", error.hint) : 0,
                 // As errtablecol() and errconstraint() would, for the schema's
                 // constraint the error stands for.
                 error.constraint[0] != '\0' ? err_generic_string(PG_DIAG_SCHEMA_NAME, "syncmaster")
                                             : 0,
                 error.constraint[0] != '\0' ? err_generic_string(PG_DIAG_TABLE_NAME, error.table)
                                             : 0,
                 error.constraint[0] != '\0'
                     ? err_generic_string(PG_DIAG_CONSTRAINT_NAME, error.constraint)
                     : 0));
            break;
        }
        case PendingError::Kind::kOutOfMemory:
            ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                            errdetail("A C++ allocation failed in %s.", function_name)));
            break;
        case PendingError::Kind::kInternal:
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                            errmsg("internal error in %s: %s", function_name, error.message)));
            break;
    }
    pg_unreachable();
}

void require_argument(FunctionCallInfo fcinfo, int i, const char *name) {
    if (pg_call([fcinfo, i]() { return PG_ARGISNULL(i); })) {
        throw core::Error(core::sqlstate::kInvalidInput, std::string(name) + " is required");
    }
}

const char *text_argument(FunctionCallInfo fcinfo, int i) {
    return pg_call([fcinfo, i]() -> const char * {
        return PG_ARGISNULL(i) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(i));
    });
}

int64 required_int8(FunctionCallInfo fcinfo, int i, const char *name) {
    require_argument(fcinfo, i, name);
    return pg_call([fcinfo, i]() { return PG_GETARG_INT64(i); });
}

}  // namespace syncmaster::pg
