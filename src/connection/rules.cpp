#include "connection/rules.hpp"

#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/in_use.hpp"
#include "core/json.hpp"
#include "core/resource.hpp"

namespace syncmaster::core::connection {

namespace {

using permissions::Entity;

constexpr const char *kData = "connection data";

connection_types::Json normalized(const Row &row) {
    connection_types::Json data =
        row.data ? json::parse(*row.data, kData) : connection_types::Json(nullptr);
    return connection_types::normalize_data(*row.type, data);
}

// The shape of a connection's credentials follows its type and, for iceberg, data's "type".
std::optional<std::string> data_type(const std::optional<std::string> &data) {
    if (!data) {
        return std::nullopt;
    }
    connection_types::Json parsed = json::parse(*data, kData);
    if (parsed.is_object() && parsed.contains("type") && parsed["type"].is_string()) {
        return parsed["type"].get<std::string>();
    }
    return std::nullopt;
}

void check_fields(const Row &row) {
    fields::check(kName, row.name);
    fields::check(kType, row.type);
}

void check_name_free(const Row &row, Lookup &lookup) {
    if (lookup.connection_name_taken(row.group_id, *row.name, row.id)) {
        in_use::name_taken("connection", kUniqueName);
    }
}

}  // namespace

Outcome on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    resource::authorize_insert(actor, Entity::kConnection, row.group_id, lookup);
    check_fields(row);
    check_name_free(row, lookup);
    return Outcome{json::jsonb_text(normalized(row)), false};
}

Outcome on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
                  Lookup &lookup) {
    resource::authorize_update(actor, Entity::kConnection, old_row.group_id, new_row.group_id,
                               lookup);
    check_fields(new_row);
    bool same_type = new_row.type == old_row.type;
    if (!same_type) {
        in_use::check_connection_type_change(lookup.transfers_using_connection(old_row.id));
    }
    if (new_row.group_id != old_row.group_id) {
        // Only the system gets here (core/columns): a connection a transfer uses stays in the
        // transfer's group, as a copy with remove_source keeps it.
        in_use::check_connection_deletable(lookup.transfers_using_connection(old_row.id));
    }
    if (new_row.name != old_row.name || new_row.group_id != old_row.group_id) {
        check_name_free(new_row, lookup);
    }
    // Data already normalized for this type stays as it is: an update of the name or the
    // description parses no JSON.
    if (same_type && (new_row.data_unchanged || (new_row.data && new_row.data == old_row.data))) {
        return Outcome{};
    }
    Outcome outcome{json::jsonb_text(normalized(new_row)), false};
    outcome.refit_credentials = !same_type || data_type(new_row.data) != data_type(old_row.data);
    outcome.fit_may_wait = actor.system;
    return outcome;
}

in_use::Dependents on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    if (!resource::authorize_delete(actor, Entity::kConnection, row.group_id, lookup)) {
        return in_use::Dependents::kNone;
    }
    std::int64_t transfers = lookup.transfers_using_connection(row.id);
    if (actor.system && transfers > 0) {
        return in_use::Dependents::kRemove;
    }
    in_use::check_connection_deletable(transfers);
    return in_use::Dependents::kNone;
}

void authorize_credentials(const identity::Actor &actor, const char *act) {
    if (!actor.system) {
        forbidden(std::string("Only the system (a syncmaster_service member with no acting user, "
                              "or a superuser) ") +
                  act + ".");
    }
}

void token_of_another_key(const std::string &why) {
    throw Error(sqlstate::kInvalidInput, "auth_data value is not a token of the configured key",
                "The token is invalid: " + why + ".",
                "Seal credentials with the Fernet key of syncmaster.encryption_key (the crypto key "
                "SyncMaster's server is given), or write them with syncmaster.create_connection() "
                "or update_connection().");
}

void check_token_credentials(const std::string &type, const connection_types::Json &data,
                             const std::string &plaintext) {
    connection_types::normalize_auth(type, data, json::parse(plaintext, "auth_data"), nullptr);
}

void credentials_not_set(std::int64_t connection_id) {
    throw Error(sqlstate::kInUse,
                "Credentials not set for connection " + std::to_string(connection_id),
                "A copied connection has none.",
                "Give it credentials with syncmaster.update_connection().");
}

namespace {
[[noreturn]] void credentials_do_not_fit(const Error &why) {
    throw Error(sqlstate::kInUse, "The credentials of the connection do not fit its new type",
                why.message(),
                "Change the type with syncmaster.update_connection(), giving credentials that fit "
                "it (or, as the system, write them to auth_data in the same transaction).");
}
}  // namespace

connection_types::Json refit_credentials(const std::string &type,
                                         const connection_types::Json &data,
                                         const connection_types::Json &credentials) {
    try {
        return connection_types::normalize_auth(
            type, data, connection_types::public_auth(credentials), credentials);
    } catch (const Error &e) {
        credentials_do_not_fit(e);
    }
}

void check_credentials_fit(const std::string &type, const connection_types::Json &data,
                           const std::string &plaintext) {
    try {
        check_token_credentials(type, data, plaintext);
    } catch (const Error &e) {
        credentials_do_not_fit(e);
    }
}

}  // namespace syncmaster::core::connection
