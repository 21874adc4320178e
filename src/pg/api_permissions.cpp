// Permissions for the API functions (pg/api.hpp) and SQL: authorize() for clients that ask first,
// and the functions behind every row-level security policy, evaluated once per statement.
#include "core/error.hpp"
#include "core/permissions.hpp"

#include <string>
#include <vector>

#include "pg/api.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"

namespace syncmaster::pg {

std::optional<std::string> text_param(FunctionCallInfo fcinfo, int i) {
    const char *value = text_argument(fcinfo, i);
    if (value == nullptr) {
        return std::nullopt;
    }
    return std::string(value);
}

std::optional<std::int64_t> int8_param(FunctionCallInfo fcinfo, int i) {
    struct Value {
        bool isnull;
        int64 value;
    };
    Value v = pg_call([fcinfo, i]() {
        return Value{PG_ARGISNULL(i), PG_ARGISNULL(i) ? 0 : PG_GETARG_INT64(i)};
    });
    if (v.isnull) {
        return std::nullopt;
    }
    return v.value;
}

std::optional<std::vector<std::optional<std::string>>> text_array_param(FunctionCallInfo fcinfo,
                                                                        int i) {
    struct Elements {
        bool isnull;
        int count;
        Datum *values;
        bool *nulls;
    };
    Elements e = pg_call([fcinfo, i]() {
        Elements out{PG_ARGISNULL(i), 0, nullptr, nullptr};
        if (!out.isnull) {
            deconstruct_array(PG_GETARG_ARRAYTYPE_P(i), TEXTOID, -1, false, TYPALIGN_INT,
                              &out.values, &out.nulls, &out.count);
        }
        return out;
    });
    if (e.isnull) {
        return std::nullopt;
    }
    std::vector<std::optional<std::string>> texts;
    for (int k = 0; k < e.count; ++k) {
        if (e.nulls[k]) {
            texts.emplace_back();
        } else {
            Datum d = e.values[k];
            texts.emplace_back(pg_call([d]() { return TextDatumGetCString(d); }));
        }
    }
    return texts;
}

Page page_params(FunctionCallInfo fcinfo, int page_arg) {
    struct Args {
        bool page_null, size_null;
        int32 page, size;
    };
    Args a = pg_call([fcinfo, page_arg]() {
        Args out{PG_ARGISNULL(page_arg), PG_ARGISNULL(page_arg + 1), 0, 0};
        out.page = out.page_null ? 0 : PG_GETARG_INT32(page_arg);
        out.size = out.size_null ? 0 : PG_GETARG_INT32(page_arg + 1);
        return out;
    });
    core::fields::check_page(a.page_null ? std::nullopt : std::optional<int>(a.page),
                             a.size_null ? std::nullopt : std::optional<int>(a.size));
    return Page{a.page, a.size};
}

void check(const core::fields::Text &field, const std::optional<std::string> &value) {
    std::optional<std::string_view> v;
    if (value) {
        v = *value;
    }
    core::fields::check(field, v);
}

void authorize(core::permissions::Entity entity, core::permissions::Action action,
               std::optional<std::int64_t> group_id, std::optional<std::int64_t> target_user) {
    core::identity::Actor actor = current_actor().actor;
    // No group is a group that does not exist: nothing in it exists for anyone.
    core::permissions::Standing standing =
        group_id ? standing_in_group(actor, *group_id) : core::permissions::Standing{};
    bool self = !actor.system && target_user == actor.user_id;
    core::permissions::authorize(actor, entity, action, standing, self);
}

void require_user(std::optional<std::int64_t> user_id) {
    if (user_id && !user_exists(*user_id)) {
        throw core::Error(core::sqlstate::kNotFound, "User not found");
    }
}

void require_writable(const char *command) {
    pg_call([command]() { PreventCommandIfReadOnly(command); });
}

std::optional<std::int64_t> group_of(Statement &statement, std::int64_t id) {
    return statement.first_int8(As::kCaller, {int8_arg(id)});
}

core::permissions::Entity entity_argument(FunctionCallInfo fcinfo) {
    const char *text = text_argument(fcinfo, 0);
    auto entity = core::permissions::parse_entity(text != nullptr ? text : "");
    if (!entity) {
        throw core::Error(core::sqlstate::kInvalidInput,
                          std::string("unknown entity \"") + (text != nullptr ? text : "") + "\"",
                          "Use group, membership, connection, queue, transfer or run.");
    }
    return *entity;
}

}  // namespace syncmaster::pg

using namespace syncmaster;

// authorize(entity text, action text, group_id bigint, target_user_id bigint DEFAULT NULL):
// raises the error core::permissions gives the acting user for this action in this group, or
// returns. API functions call it first, so that their errors come in SyncMaster's order even when
// no row would reach the trigger (a missing member, an invisible group).
SYNCMASTER_FUNCTION(syncmaster_authorize) {
    core::permissions::Entity entity = pg::entity_argument(fcinfo);
    struct Args {
        const char *action;
        bool group_null;
        int64 group_id;
        bool target_null;
        int64 target_user_id;
    };
    Args args = pg::pg_call([fcinfo]() {
        Args a;
        a.action = PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1));
        a.group_null = PG_ARGISNULL(2);
        a.group_id = a.group_null ? 0 : PG_GETARG_INT64(2);
        a.target_null = PG_NARGS() < 4 || PG_ARGISNULL(3);
        a.target_user_id = a.target_null ? 0 : PG_GETARG_INT64(3);
        return a;
    });
    auto action = core::permissions::parse_action(args.action);
    if (!action) {
        throw core::Error(core::sqlstate::kInvalidInput,
                          std::string("unknown action \"") + args.action + "\"",
                          "Use read, create, update or delete.");
    }
    pg::authorize(
        entity, *action,
        args.group_null ? std::nullopt : std::optional<std::int64_t>(args.group_id),
        args.target_null ? std::nullopt : std::optional<std::int64_t>(args.target_user_id));
    PG_RETURN_VOID();
}

// sees_all_groups() → boolean: the acting user sees every group (the system and superusers).
SYNCMASTER_FUNCTION(syncmaster_sees_all_groups) {
    PG_RETURN_BOOL(pg::current_actor().actor.is_superuser);
}

// visible_group_ids() → bigint[]: the groups the acting user reads: every group for the system and
// superusers, else those it owns or is a member of. The policies compare group_id with it, a
// condition an index can serve.
SYNCMASTER_FUNCTION(syncmaster_visible_group_ids) {
    std::vector<std::int64_t> ids = pg::visible_group_ids(pg::current_actor().actor);
    const std::int64_t *data = ids.data();
    int count = static_cast<int>(ids.size());
    return pg::pg_call([data, count]() { return pg::int8_array(data, count); });
}

// role_rank(role text) → integer (STRICT): core::permissions::group_role_rank.
SYNCMASTER_FUNCTION(syncmaster_role_rank) {
    const char *role = pg::pg_call([fcinfo]() { return text_to_cstring(PG_GETARG_TEXT_PP(0)); });
    int rank = core::permissions::group_role_rank(role);
    PG_RETURN_INT32(rank);
}

// writable_group_ids(entity text) → bigint[]: the groups where the acting user may change rows of
// this entity (every group for the system and superusers). The UPDATE policies compare group_id
// with it, so that SELECT ... FOR UPDATE / FOR SHARE (which PostgreSQL checks against the UPDATE
// policies) locks only rows the actor may change.
SYNCMASTER_FUNCTION(syncmaster_writable_group_ids) {
    core::permissions::Entity entity = pg::entity_argument(fcinfo);
    core::identity::Actor actor = pg::current_actor().actor;
    std::vector<std::int64_t> ids = pg::visible_group_ids(actor);
    if (!actor.is_superuser) {
        core::permissions::Level needed =
            core::permissions::required_level(entity, core::permissions::Action::kUpdate);
        std::vector<std::int64_t> writable;
        for (std::int64_t id : ids) {
            if (core::permissions::level(actor, entity, pg::standing_in_group(actor, id)) >=
                needed) {
                writable.push_back(id);
            }
        }
        ids.swap(writable);
    }
    const std::int64_t *data = ids.data();
    int count = static_cast<int>(ids.size());
    return pg::pg_call([data, count]() { return pg::int8_array(data, count); });
}
