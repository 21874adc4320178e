// Identity in the database: resolves the acting user of the current statement.
#pragma once

#include "core/fields.hpp"
#include "core/identity.hpp"

#include <optional>
#include <string>

namespace syncmaster::pg {

struct ResolvedActor {
    core::identity::Actor actor;
    std::string username;  // empty for the system
};

// Resolves who acts now; throws core::Error 28000/42501 as core::identity decides.
ResolvedActor current_actor();

// For its lifetime, the system acts: the writes one entity's rules decide for another (an owner
// change's memberships) are made as the system and judged by that entity's rules like any system
// write. Also ended when a PostgreSQL error unwinds the C++ frames, and at every transaction end as
// a second line.
class SystemActs {
public:
    SystemActs();
    SystemActs(const SystemActs &) = delete;
    SystemActs &operator=(const SystemActs &) = delete;
    ~SystemActs();
};

// The "user" row with this username, read through ix__user__username whatever row-level security
// would let the caller see.
std::optional<core::identity::UserRecord> find_user_by_username(const std::string &username);

// Whether a PostgreSQL role of this name exists, and whether it may log in.
core::fields::RoleNamed role_named(const std::string &name);

}  // namespace syncmaster::pg
