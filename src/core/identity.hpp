// Identity: who is acting.
//
// The adapter gathers the facts of the session (the outer PostgreSQL role, whether it is a
// superuser, a member of the application role or of the system role, the syncmaster.acting_user
// setting), asks claim() which user row to look up, looks it up, and asks admit() whether that row
// may act. Keeping the two steps apart keeps every rule here, testable without a database, and the
// lookup in the adapter.
//
// Two roles, so that no mistake of an application fails open:
// - syncmaster_app: applications that authenticate people themselves. A member acts only for the
//   user it names in syncmaster.acting_user within the current transaction; naming nobody it is
//   nobody (28000), never the system.
// - syncmaster_service: the system (workers, operators, SyncMaster's own server). A member acts
//   as the system and names no user.
// syncmaster.acting_user counts only in the transaction that set it (SET LOCAL, set_config(...,
// true), or a plain SET inside the transaction): a value left on the session by an earlier
// transaction, a role or database default or the configuration file counts as not set. So a
// transaction pooler that hands one server session to many clients never passes one client's
// acting user to another.
#pragma once

#include "core/pure.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace syncmaster::core::identity {

// The role of every user: it may call the API and write the tables, under the triggers.
inline constexpr const char *kUserRole = "syncmaster_user";
// The role of applications: its members act for the user they name, and only for that user.
inline constexpr const char *kAppRole = "syncmaster_app";
// The role of the system: its members act as the system, with every power.
inline constexpr const char *kServiceRole = "syncmaster_service";
// The setting naming the user a service acts for.
inline constexpr const char *kActingUserSetting = "syncmaster.acting_user";

struct Session {
    std::string role_name;  // the outer PostgreSQL role: SET ROLE counts, SECURITY DEFINER does not
    bool is_superuser = false;  // that role is a PostgreSQL superuser
    bool is_service = false;    // that role has the privileges of syncmaster_service
    bool is_app = false;        // that role has the privileges of syncmaster_app
    bool can_login = true;      // that role has LOGIN: a user acts only through a login role
    std::string acting_user;    // syncmaster.acting_user as set in this transaction, else empty
    bool stale_acting_user = false;  // a value set outside this transaction is present (ignored)
};

// Whom the session claims to be: the system, or the user with this username.
struct Claim {
    bool system = false;
    std::string username;  // empty for the system
};

// Throws Error 42501 when acting_user is set by a role that may not act for users (only
// syncmaster_app members and superusers may), 28000 when a syncmaster_app member names nobody in
// this transaction, and 28000 when a role that cannot log in would act as the user of its name
// (the members of a group role could otherwise SET ROLE to it and act as that user).
Claim claim(const Session &session);

// The facts of a "user" row that decide whether it may act.
struct UserRecord {
    std::int64_t id = 0;
    bool is_active = true;
    bool is_superuser = false;
};

struct Actor {
    bool system = false;
    std::int64_t user_id = 0;   // 0 for the system, which is no row
    bool is_superuser = false;  // true for the system: every check passes

    static Actor make_system() { return Actor{true, 0, true}; }
};

// Decides on the claim once its user row (if any) has been looked up. Throws Error 28000
// "Not authenticated" when no row matched, 42501 "Inactive user" for an inactive one.
Actor admit(const Claim &claim, const std::optional<UserRecord> &user);

}  // namespace syncmaster::core::identity
