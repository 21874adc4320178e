#include "core/resource.hpp"

namespace syncmaster::core::resource {

namespace {

permissions::Standing standing_in(const identity::Actor &actor, std::optional<std::int64_t> group,
                                  Lookup &lookup) {
    return group ? lookup.standing(actor, *group) : permissions::Standing{};
}

}  // namespace

void authorize_insert(const identity::Actor &actor, permissions::Entity entity,
                      std::optional<std::int64_t> group, Lookup &lookup) {
    permissions::authorize(actor, entity, permissions::Action::kCreate,
                           standing_in(actor, group, lookup));
}

void authorize_update(const identity::Actor &actor, permissions::Entity entity,
                      std::optional<std::int64_t> old_group, std::optional<std::int64_t> new_group,
                      Lookup &lookup) {
    permissions::authorize(actor, entity, permissions::Action::kUpdate,
                           standing_in(actor, old_group, lookup));
    if (new_group != old_group) {
        permissions::authorize(actor, entity, permissions::Action::kCreate,
                               standing_in(actor, new_group, lookup));
    }
}

bool authorize_delete(const identity::Actor &actor, permissions::Entity entity,
                      std::optional<std::int64_t> group, Lookup &lookup) {
    permissions::Standing standing = standing_in(actor, group, lookup);
    if (cascaded(standing)) {
        return false;
    }
    permissions::authorize(actor, entity, permissions::Action::kDelete, standing);
    return true;
}

}  // namespace syncmaster::core::resource
