#include "core/error.hpp"

#include <utility>

namespace syncmaster::core {

bool is_valid_sqlstate(const std::string &code) {
    if (code.size() != 5) {
        return false;
    }
    for (char c : code) {
        bool digit = c >= '0' && c <= '9';
        bool upper = c >= 'A' && c <= 'Z';
        if (!digit && !upper) {
            return false;
        }
    }
    return true;
}

static std::string checked_sqlstate(std::string code) {
    if (!is_valid_sqlstate(code)) {
        throw std::invalid_argument("not a SQLSTATE: \"" + code + "\"");
    }
    return code;
}

Error::Error(std::string sqlstate, std::string message, std::string detail, std::string hint)
    : std::runtime_error(message),
      sqlstate_(checked_sqlstate(std::move(sqlstate))),
      message_(std::move(message)),
      detail_(std::move(detail)),
      hint_(std::move(hint)) {}

Error::Error(const Constraint &constraint, std::string sqlstate, std::string message,
             std::string detail, std::string hint)
    : Error(std::move(sqlstate), std::move(message), std::move(detail), std::move(hint)) {
    constraint_ = constraint;
}

void key_not_present(const Constraint &foreign_key, const char *column, std::int64_t key,
                     const char *referenced_table) {
    throw Error(foreign_key, sqlstate::kForeignKey,
                std::string("insert or update on table \"") + foreign_key.table +
                    "\" violates foreign key constraint \"" + foreign_key.name + "\"",
                std::string("Key (") + column + ")=(" + std::to_string(key) +
                    ") is not present in table \"" + referenced_table + "\".");
}

void forbidden(const std::string &detail, const std::string &hint) {
    throw Error(sqlstate::kForbidden, kNoPower, detail, hint);
}

}  // namespace syncmaster::core
