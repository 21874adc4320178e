#include "queue/rules.hpp"

#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/in_use.hpp"
#include "queue/names.hpp"
#include "core/resource.hpp"

namespace syncmaster::core::queue {

namespace {

using permissions::Entity;

// The name is checked, and must not normalize like another queue's of the group nor take a slug
// one of them kept. SyncMaster's message speaks of the name; the detail says which queue has it
// and why, as the names differ when they only normalize alike.
void check_name(const Row &row, Lookup &lookup) {
    fields::check(kName, row.name);
    std::string short_name = names::queue_short_name(*row.name);
    std::string slug = names::queue_slug(row.group_id, *row.name);
    for (const Lookup::QueueName &other : lookup.other_queues(row.group_id, row.id)) {
        if (other.name == *row.name) {
            in_use::name_taken("queue", kUniqueSlug);
        }
        if (names::queue_short_name(other.name) == short_name) {
            in_use::name_taken("queue", kUniqueSlug,
                               "\"" + *row.name + "\" and the queue \"" + other.name +
                                   "\" normalize to the same slug \"" + slug + "\".");
        }
        if (other.slug == slug) {
            in_use::name_taken("queue", kUniqueSlug,
                               "The queue \"" + other.name + "\" keeps the slug \"" + slug +
                                   "\" it was created with (a renamed queue keeps its slug).");
        }
    }
}

}  // namespace

std::optional<std::string> on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    resource::authorize_insert(actor, Entity::kQueue, row.group_id, lookup);
    check_name(row, lookup);
    if (row.slug && actor.system) {
        return std::nullopt;
    }
    return names::queue_slug(row.group_id, *row.name);
}

void on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
               Lookup &lookup) {
    resource::authorize_update(actor, Entity::kQueue, old_row.group_id, new_row.group_id, lookup);
    if (new_row.name != old_row.name) {
        check_name(new_row, lookup);
    }
}

in_use::Dependents on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup) {
    if (!resource::authorize_delete(actor, Entity::kQueue, row.group_id, lookup)) {
        return in_use::Dependents::kNone;
    }
    std::int64_t transfers = lookup.transfers_using_queue(row.id);
    if (actor.system && transfers > 0) {
        return in_use::Dependents::kRemove;
    }
    in_use::check_queue_deletable(transfers);
    return in_use::Dependents::kNone;
}

}  // namespace syncmaster::core::queue
