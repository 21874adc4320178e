#include "core/fields.hpp"

#include "core/error.hpp"
#include "core/identity.hpp"

#include <string>

namespace syncmaster::core::fields {

namespace {

[[noreturn]] void refuse(const std::string &message, const std::string &detail = {}) {
    throw Error(sqlstate::kInvalidInput, message, detail);
}

std::string got(std::size_t n) {
    return "Got " + std::to_string(n) + ".";
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

void check(const Text &field, std::optional<std::string_view> value) {
    std::string label = field.label;
    if (!value) {
        if (field.required) {
            refuse(label + " is required");
        }
        return;
    }
    std::size_t n = characters(*value);
    if (field.min > 0 && (n < field.min || n > field.max)) {
        refuse(label + " must have " + std::to_string(field.min) + " to " +
                   std::to_string(field.max) + " characters",
               got(n));
    }
    if (field.max > 0 && n > field.max) {
        refuse(label + " must have at most " + std::to_string(field.max) + " characters", got(n));
    }
    if (field.also != nullptr) {
        field.also(*value);
    }
}

void check_page(std::optional<int> page, std::optional<int> page_size) {
    auto shown = [](std::optional<int> n) {
        return "Got " + (n ? std::to_string(*n) : std::string()) + ".";
    };
    if (!page || *page < 1) {
        refuse("page should be greater than 0", shown(page));
    }
    if (!page_size || *page_size < 1 || *page_size > kPageSizeMax) {
        refuse("page_size should be between 1 and " + std::to_string(kPageSizeMax),
               shown(page_size));
    }
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
