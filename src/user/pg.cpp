// "user" rows: the trigger that reads them, asks core::user, and makes every backend forget its
// cached identities when one changes.
#include "user/rules.hpp"

#include "pg/api.hpp"
#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/probes.hpp"
#include "pg/search.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

core::user::Row read_user(const TriggerData *trigger, HeapTuple tuple) {
    RowValues values(trigger, tuple);
    return core::user::Row{as_int8(values["id"]).value_or(0), as_text(values["username"]),
                           as_bool(values["is_superuser"]), as_bool(values["is_active"])};
}

// The system's delete of a user takes the groups it owns along (core::in_use::Dependents).
Statement delete_owned_groups(
    "DELETE FROM syncmaster.\"group\" WHERE owner_id OPERATOR(pg_catalog.=) $1");

}  // namespace

// The column rights of user (core/columns.hpp).
constexpr core::columns::Table kUserColumns = core::columns::table("user", core::user::kColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON "user", FOR EACH ROW.
SYNCMASTER_FUNCTION(syncmaster_user_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.user_rules");
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kUserColumns, actor);
    pg::Probes lookup;
    pg::forget_lookups(fired.trigger);
    switch (fired.event) {
        case pg::RowEvent::kInsert:
            core::user::on_insert(actor, pg::read_user(fired.trigger, fired.new_row()), lookup);
            break;
        case pg::RowEvent::kUpdate:
            core::user::on_update(actor, pg::read_user(fired.trigger, fired.old_row()),
                                  pg::read_user(fired.trigger, fired.new_row()), lookup);
            break;
        case pg::RowEvent::kDelete: {
            core::user::Row row = pg::read_user(fired.trigger, fired.old_row());
            if (core::user::on_delete(actor, row, lookup) == core::in_use::Dependents::kRemove) {
                pg::delete_owned_groups.run(pg::As::kTableOwner, {pg::int8_arg(row.id)});
            }
            break;
        }
    }
    return fired.proceed();
}

// --- The users API: a convenience over the table, whose rules trigger decides every write. ---

namespace syncmaster::pg {
namespace {

Statement insert_user(
    "INSERT INTO syncmaster.\"user\" (username, email, first_name, last_name, middle_name,"
    " is_superuser, is_active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");

}  // namespace
}  // namespace syncmaster::pg

// create_user(username, email, first_name, last_name, middle_name, is_superuser, is_active) →
// bigint: the system or a superuser (the rules trigger decides, and whether the username is free).
SYNCMASTER_FUNCTION(syncmaster_create_user) {
    std::optional<std::string> username = pg::text_param(fcinfo, 0);
    core::fields::check_username(
        username ? std::optional<std::string_view>(*username) : std::nullopt,
        core::fields::RoleNamed{});
    std::vector<pg::Arg> args = {pg::text_arg(username)};
    for (const core::fields::Text *field : {&core::user::kEmail, &core::user::kFirstName,
                                            &core::user::kLastName, &core::user::kMiddleName}) {
        std::optional<std::string> value = pg::text_param(fcinfo, static_cast<int>(args.size()));
        pg::check(*field, value);
        args.push_back(pg::text_arg(value));
    }
    args.push_back(pg::function_arg(fcinfo, 5, BOOLOID));
    args.push_back(pg::function_arg(fcinfo, 6, BOOLOID));
    std::optional<int64> id = pg::insert_user.first_int8(pg::As::kCaller, args);
    PG_RETURN_INT64(*id);
}

namespace syncmaster::pg {
namespace {

// The pages of list_users in username order from ix__user__username. Without a search `total` is
// the count kept in user_total; with one, counted once for the page, not as a window over every
// match. The search is pg_trgm's % operator, spelled with the schema pg_trgm is installed in
// (looked up at the first search in a backend), so that ix__user__username_trgm answers it (a
// call of trigram_similar() would test every user), in a statement of its own (`$4 IS NULL OR
// ...` would keep a generic plan off the index). They run as the tables' owner: `$1 OR is_active`
// is the policy of "user" itself (a superuser sees every user, others the active ones), and under
// row-level security PostgreSQL would not let the index evaluate %, which is not leakproof, before
// the policy (every user read and tested). The function's search_path is pg_catalog, pg_temp.
//
// `trgm`: the schema of pg_trgm, for a search; empty, none.
std::string users_sql(const std::string &trgm) {
    auto where = [&trgm](const std::string &x) {
        std::string search =
            trgm.empty() ? "" : " AND " + x + ".username OPERATOR(" + trgm + ".%) $4";
        return "WHERE ($1 OR " + x + ".is_active)" + search + " ";
    };
    std::string total =
        trgm.empty()
            ? "(SELECT CASE WHEN $1 THEN n.users ELSE n.active END FROM syncmaster.user_total n)"
            : "(SELECT count(*) FROM syncmaster.\"user\" c " + where("c") + ")";
    return "SELECT u.id, u.username, u.is_superuser, " + total + " FROM syncmaster.\"user\" u " +
           where("u") + "ORDER BY u.username LIMIT $2 OFFSET ($3 - 1) * $2";
}
Statement users_page(users_sql(""));
Statement &users_found() {
    static Statement found([]() {
        return users_sql(pg_call(
            []() { return quote_identifier(get_namespace_name(extension_schema("pg_trgm"))); }));
    }());
    return found;
}

}  // namespace
}  // namespace syncmaster::pg

// list_users(search, page, page_size) → (id, username, is_superuser, total): by username; active
// users (all for superusers); search by trigram similarity.
SYNCMASTER_FUNCTION(syncmaster_list_users) {
    bool sees_all = pg::current_actor().actor.is_superuser;  // 28000/42501 first
    pg::Page page = pg::page_params(fcinfo, 1);
    std::optional<std::string> search = pg::text_param(fcinfo, 0);
    pg::check(core::fields::kSearch, search);
    if (search && search->empty()) {
        search.reset();
    }
    std::vector<pg::Arg> args = {pg::bool_arg(sees_all), pg::int8_arg(page.size),
                                 pg::int8_arg(page.number)};
    if (!search) {
        return pg::users_page.return_rows(fcinfo, args, pg::As::kTableOwner);
    }
    args.push_back(pg::text_arg(search));
    return pg::users_found().return_rows(fcinfo, args, pg::As::kTableOwner);
}
