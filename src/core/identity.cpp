#include "core/identity.hpp"

#include "core/error.hpp"

namespace syncmaster::core::identity {

Claim claim(const Session &session) {
    if (!session.acting_user.empty()) {
        // A superuser has the privileges of every role, syncmaster_app included.
        if (!session.is_app && !session.is_superuser) {
            forbidden(
                std::string("Only members of ") + kAppRole + " may set " + kActingUserSetting + ".",
                session.is_service
                    ? std::string("A member of ") + kServiceRole +
                          " acts as the system and names no user; an application that "
                          "acts for users connects as a member of " +
                          kAppRole + "."
                    : std::string("Reset ") + kActingUserSetting +
                          ", or connect as a role that is a member of " + kAppRole + ".");
        }
        return Claim{false, session.acting_user};
    }
    if (session.is_superuser || session.is_service) {
        return Claim{true, {}};
    }
    if (session.is_app) {
        // Never the system, never the user of the role's own name, never a value another client
        // of a pooled server session left behind: the application names its user or is nobody.
        throw Error(sqlstate::kNotAuthenticated, "Not authenticated",
                    session.stale_acting_user
                        ? std::string(kActingUserSetting) +
                              " was set before this transaction began, and a member of " +
                              kAppRole + " acts only for the user named in the current transaction."
                        : std::string("A member of ") + kAppRole +
                              " acts only for the user it names in " + kActingUserSetting +
                              " in the current transaction.",
                    std::string("Inside the transaction, SET LOCAL ") + kActingUserSetting +
                        " = '<username>' or call set_config('" + kActingUserSetting +
                        "', '<username>', true).");
    }
    if (!session.can_login) {
        throw Error(sqlstate::kNotAuthenticated, "Not authenticated",
                    "Role \"" + session.role_name +
                        "\" cannot log in: a user acts only through a login role of its username.");
    }
    return Claim{false, session.role_name};
}

Actor admit(const Claim &claim, const std::optional<UserRecord> &user) {
    if (claim.system) {
        return Actor::make_system();
    }
    if (!user) {
        throw Error(sqlstate::kNotAuthenticated, "Not authenticated",
                    "No user of syncmaster has the username \"" + claim.username + "\".");
    }
    if (!user->is_active) {
        throw Error(sqlstate::kForbidden, "Inactive user");
    }
    return Actor{false, user->id, user->is_superuser};
}

}  // namespace syncmaster::core::identity
