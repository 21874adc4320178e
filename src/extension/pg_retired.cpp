// Entry points of released versions that the current SQL no longer calls. The library is shared by
// every version of the extension script: after a package upgrade, a database still on 0.1.0 or
// 0.2.0 runs its old SQL functions against this library until ALTER EXTENSION pg_syncmaster
// UPDATE, and CREATE EXTENSION of an older version looks every symbol up. So each keeps working
// as it did, over today's typed pieces; the update to 0.3.0 drops the SQL functions.
#include "connection/rules.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "group/rules.hpp"
#include "membership/rules.hpp"
#include "queue/rules.hpp"
#include "run/rules.hpp"
#include "transfer/rules.hpp"
#include "user/rules.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pg/api.hpp"
#include "connection/pg_credentials.hpp"
#include "pg/entry.hpp"

using namespace syncmaster;

namespace {

// The fields check_input(entity, field, value) knew, by their old names.
const core::fields::Text *old_field(std::string_view entity, std::string_view field) {
    namespace c = core;
    static const std::pair<std::pair<std::string_view, std::string_view>,
                           const core::fields::Text *>
        kFields[] = {
            {{"user", "email"}, &c::user::kEmail},
            {{"user", "first_name"}, &c::user::kFirstName},
            {{"user", "last_name"}, &c::user::kLastName},
            {{"user", "middle_name"}, &c::user::kMiddleName},
            {{"group", "name"}, &c::group::kName},
            {{"group", "description"}, &c::group::kDescription},
            {{"connection", "name"}, &c::connection::kName},
            {{"connection", "description"}, &c::connection::kDescription},
            {{"connection", "type"}, &c::connection::kType},
            {{"queue", "name"}, &c::queue::kName},
            {{"queue", "description"}, &c::queue::kDescription},
            {{"transfer", "name"}, &c::transfer::kName},
            {{"transfer", "description"}, &c::transfer::kDescription},
            {{"membership", "role"}, &c::membership::kRole},
            {{"list", "search"}, &c::fields::kSearch},
            {{"run", "worker"}, &c::run::kWorker},
            {{"run", "log_url"}, &c::run::kLogUrl},
        };
    for (const auto &[key, text] : kFields) {
        if (key.first == entity && key.second == field) {
            return text;
        }
    }
    return nullptr;
}

}  // namespace

// check_input(entity text, field text, value text) (0.1.0, 0.2.0): 22023 naming the field when the
// value is outside its bounds.
SYNCMASTER_FUNCTION(syncmaster_check_input) {
    std::string entity = pg::text_param(fcinfo, 0).value_or("");
    std::string field = pg::text_param(fcinfo, 1).value_or("");
    std::optional<std::string> value = pg::text_param(fcinfo, 2);
    if (entity == "user" && field == "username") {
        core::fields::check_username(value ? std::optional<std::string_view>(*value) : std::nullopt,
                                     core::fields::RoleNamed{});
        PG_RETURN_VOID();
    }
    const core::fields::Text *text = old_field(entity, field);
    if (text == nullptr) {
        throw core::Error(core::sqlstate::kInvalidInput,
                          "unknown field \"" + entity + " " + field + "\"");
    }
    pg::check(*text, value);
    PG_RETURN_VOID();
}

// _seal_credentials(connection_type text, data jsonb, auth jsonb, previous_token text) → text
// (0.1.0, 0.2.0): pg::seal_for_connection.
SYNCMASTER_FUNCTION(syncmaster_seal_credentials) {
    std::optional<std::string> type = pg::text_param(fcinfo, 0);
    core::connection_types::Json auth = pg::json_param(fcinfo, 2, "auth_data");
    if (!type) {
        throw core::Error(core::sqlstate::kInvalidInput, "auth_data is required");
    }
    std::string token = pg::seal_for_connection(*type, pg::json_param(fcinfo, 1, "connection data"),
                                                auth, pg::text_param(fcinfo, 3));
    const char *t = token.c_str();
    return pg::pg_call([t]() { return CStringGetTextDatum(t); });
}

// _credentials_full(connection_id bigint, token text) → jsonb (0.1.0, 0.2.0, STRICT):
// pg::full_credentials, the read logged.
SYNCMASTER_FUNCTION(syncmaster_credentials_full) {
    std::string json =
        pg::full_credentials(*pg::int8_param(fcinfo, 0), pg::text_param(fcinfo, 1).value_or(""));
    const char *c = json.c_str();
    return pg::pg_call([c]() { return DirectFunctionCall1(jsonb_in, CStringGetDatum(c)); });
}
