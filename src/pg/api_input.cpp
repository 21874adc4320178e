// check_input(): the API functions' check of their text arguments against core::fields, before
// any row is written. The triggers check rows with the same bounds; this comes first so that a
// value too long for its varchar column is refused with 22023 naming the field, not with the
// column's raw 22001.
#include "core/fields.hpp"

#include <optional>
#include <string_view>

#include "pg/entry.hpp"

using namespace syncmaster;

// check_input(entity text, field text, value text) → void: raises 22023 naming the field when
// value is outside the bounds of entity.field (core::fields::check), else returns.
SYNCMASTER_FUNCTION(syncmaster_check_input) {
    struct Args {
        const char *entity;
        const char *field;
        const char *value;  // nullptr: SQL NULL
    };
    Args args = pg::pg_call([fcinfo]() {
        if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) {
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("check_input needs an entity and a field")));
        }
        return Args{text_to_cstring(PG_GETARG_TEXT_PP(0)), text_to_cstring(PG_GETARG_TEXT_PP(1)),
                    PG_ARGISNULL(2) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(2))};
    });
    std::optional<std::string_view> value;
    if (args.value != nullptr) {
        value = args.value;
    }
    core::fields::check(args.entity, args.field, value);
    PG_RETURN_VOID();
}
