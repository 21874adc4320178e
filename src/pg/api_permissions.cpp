// SQL functions of permissions: authorize() for the API functions, and the two functions behind
// every row-level security policy, evaluated once per statement.
#include "core/error.hpp"
#include "core/permissions.hpp"
#include "core/user.hpp"

#include <string>
#include <vector>

#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"

using namespace syncmaster;

namespace {

core::permissions::Entity entity_argument(FunctionCallInfo fcinfo) {
    const char *text = pg::text_argument(fcinfo, 0);
    auto entity = core::permissions::parse_entity(text != nullptr ? text : "");
    if (!entity) {
        throw core::Error(core::sqlstate::kInvalidInput,
                          std::string("unknown entity \"") + (text != nullptr ? text : "") + "\"",
                          "Use group, membership, connection, queue, transfer or run.");
    }
    return *entity;
}

}  // namespace

// authorize(entity text, action text, group_id bigint, target_user_id bigint DEFAULT NULL):
// raises the error core::permissions gives the acting user for this action in this group, or
// returns. API functions call it first, so that their errors come in SyncMaster's order even when
// no row would reach the trigger (a missing member, an invisible group).
SYNCMASTER_FUNCTION(syncmaster_authorize) {
    core::permissions::Entity entity = entity_argument(fcinfo);
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
    core::identity::Actor actor = pg::current_actor().actor;
    // A NULL group is no group: nothing in it exists for anyone.
    core::permissions::Standing standing = args.group_null
                                               ? core::permissions::Standing{}
                                               : pg::standing_in_group(actor, args.group_id);
    bool self = !actor.system && !args.target_null && args.target_user_id == actor.user_id;
    core::permissions::authorize(actor, entity, *action, standing, self);
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
    core::permissions::Entity entity = entity_argument(fcinfo);
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

// refuse_update(entity text, key bigint) → boolean: raises the error the acting user gets for
// changing (or locking) a row of the entity it sees but may not change: 42501 with the detail
// naming the role needed. The key is the row's group, its user for "user". The UPDATE policies
// call it only for such rows, after the set-based conditions failed, so it ends the statement the
// first time it runs; it returns true only if the actor may change the row after all.
SYNCMASTER_FUNCTION(syncmaster_refuse_update) {
    const char *entity_text = pg::text_argument(fcinfo, 0);
    int64 key = pg::required_int8(fcinfo, 1, "key");
    core::identity::Actor actor = pg::current_actor().actor;
    if (entity_text != nullptr && std::string(entity_text) == "user") {
        core::user::authorize_update(actor, key);
        PG_RETURN_BOOL(true);
    }
    core::permissions::authorize(actor, entity_argument(fcinfo), core::permissions::Action::kUpdate,
                                 pg::standing_in_group(actor, key));
    PG_RETURN_BOOL(true);
}
