#include "core/identity.hpp"

#include "core/error.hpp"

namespace syncmaster::core::identity {

Claim claim(const Session &session) {
    if (!session.acting_user.empty()) {
        // A superuser has the privileges of every role, syncmaster_service included.
        if (!session.is_service && !session.is_superuser) {
            throw Error(sqlstate::kForbidden, "You have no power here",
                        std::string("Only members of ") + kServiceRole + " may set " +
                            kActingUserSetting + ".",
                        std::string("Reset ") + kActingUserSetting +
                            ", or connect as a role that is a member of " + kServiceRole + ".");
        }
        return Claim{false, session.acting_user};
    }
    if (session.is_superuser || session.is_service) {
        return Claim{true, {}};
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
