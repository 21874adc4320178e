// The permission of a write to a row that belongs to a group: connections, queues,
// transfers and runs (a run through its transfer). Each entity's rules start here.
#pragma once

#include "core/pure.hpp"

#include "core/identity.hpp"
#include "core/lookup.hpp"
#include "core/permissions.hpp"

#include <cstdint>
#include <optional>

namespace syncmaster::core::resource {

// Creating a row in `group` (nullopt: a run whose transfer does not exist) needs the entity's
// create level there.
void authorize_insert(const identity::Actor &actor, permissions::Entity entity,
                      std::optional<std::int64_t> group, Lookup &lookup);

// Changing a row needs the update level in its group; moving it to another group needs the
// create level there too.
void authorize_update(const identity::Actor &actor, permissions::Entity entity,
                      std::optional<std::int64_t> old_group, std::optional<std::int64_t> new_group,
                      Lookup &lookup);

// Deleting a row needs the delete level in its group. Returns false when the delete is the
// cascade of its group's (or transfer's) delete, which was allowed already: then no rule of the
// row's own applies.
bool authorize_delete(const identity::Actor &actor, permissions::Entity entity,
                      std::optional<std::int64_t> group, Lookup &lookup);

}  // namespace syncmaster::core::resource
