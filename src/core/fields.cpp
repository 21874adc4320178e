#include "core/fields.hpp"

#include "core/connection_types.hpp"
#include "core/error.hpp"
#include "core/identity.hpp"
#include "core/names.hpp"
#include "core/permissions.hpp"

#include <string>

namespace syncmaster::core::fields {

namespace {

[[noreturn]] void refuse(const std::string &message, const std::string &detail = {}) {
    throw Error(sqlstate::kInvalidInput, message, detail);
}

std::string got(std::size_t n) {
    return "Got " + std::to_string(n) + ".";
}

void required(const std::string &label, std::optional<std::string_view> value) {
    if (!value) {
        refuse(label + " is required");
    }
}

void at_most(const std::string &label, std::optional<std::string_view> value, std::size_t max) {
    if (value) {
        std::size_t n = characters(*value);
        if (n > max) {
            refuse(label + " must have at most " + std::to_string(max) + " characters", got(n));
        }
    }
}

void name(const std::string &label, std::optional<std::string_view> value) {
    required(label, value);
    std::size_t n = characters(*value);
    if (n < kNameMin || n > kNameMax) {
        refuse(label + " must have " + std::to_string(kNameMin) + " to " +
                   std::to_string(kNameMax) + " characters",
               got(n));
    }
}

}  // namespace

std::size_t characters(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++n;
        }
    }
    return n;
}

void check(std::string_view entity, std::string_view field, std::optional<std::string_view> value) {
    std::string label = std::string(entity) + " " + std::string(field);
    if (entity == "user") {
        if (field == "username") {
            check_username(value, RoleNamed{});
            return;
        }
        if (field == "email" || field == "first_name" || field == "last_name" ||
            field == "middle_name") {
            at_most(label, value, kPersonFieldMax);
            return;
        }
    } else if (entity == "group" || entity == "connection" || entity == "queue" ||
               entity == "transfer") {
        if (field == "name") {
            name(label, value);
            if (entity == "queue") {
                names::check_queue_name(*value);
            }
            return;
        }
        if (field == "description") {
            at_most(label, value, kDescriptionMax);
            return;
        }
        if (entity == "connection" && field == "type") {
            required(label, value);
            connection_types::require_known_type(*value);
            return;
        }
    } else if (entity == "membership" && field == "role") {
        required("role", value);
        permissions::require_role(*value);
        return;
    } else if (entity == "list" && field == "search") {
        at_most("search", value, kSearchMax);
        return;
    } else if (entity == "run" && (field == "worker" || field == "log_url")) {
        at_most(std::string(field), value, field == "worker" ? kWorkerMax : kLogUrlMax);
        return;
    }
    refuse("unknown field \"" + label + "\"");
}

void check_username(std::optional<std::string_view> username, const RoleNamed &role) {
    if (!username || username->empty()) {
        refuse("username is required");
    }
    std::string name(*username);
    if (name.size() > kUsernameMaxBytes) {
        refuse("username must have at most " + std::to_string(kUsernameMaxBytes) + " bytes",
               "Got " + std::to_string(name.size()) +
                   ". A user acts through the PostgreSQL role of the same name, and a role name "
                   "has at most 63 bytes.");
    }
    if (name == identity::kServiceRole || name == identity::kAppRole ||
        name == identity::kUserRole || name.compare(0, 3, "pg_") == 0) {
        refuse(
            "username \"" + name + "\" is reserved",
            std::string("PostgreSQL reserves role names beginning with pg_, and pg_syncmaster its "
                        "roles ") +
                identity::kUserRole + ", " + identity::kAppRole + " and " + identity::kServiceRole +
                ".");
    }
    if (role.exists && !role.can_login) {
        refuse("username \"" + name + "\" names a role that cannot log in",
               "A user acts through the login role of its username; the members of a role that "
               "cannot log in could act as the user after SET ROLE.");
    }
}

}  // namespace syncmaster::core::fields
