// What the entities' rules need to know of the database, asked through one small interface: the
// adapter answers with index probes over the latest committed rows (src/pg/probes), the unit
// tests with in-memory fakes. Nothing here reads a table.
//
// The "taken" questions are asked right before a row is written and must stay true until the
// writer commits: the adapter serializes each one with a transaction-level lock on the name (or
// the member, or the group's queue names), so that two writers of the same name take turns and
// the second sees what the first committed.
#pragma once

#include "core/pure.hpp"

#include "core/fields.hpp"
#include "core/identity.hpp"
#include "core/permissions.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace syncmaster::core {

class Lookup {
public:
    virtual ~Lookup() = default;

    // The actor's standing in a group: does it exist, does the actor own it, its member role.
    virtual permissions::Standing standing(const identity::Actor &actor, std::int64_t group_id) = 0;
    // The group of a transfer; nullopt when there is no such transfer.
    virtual std::optional<std::int64_t> group_of_transfer(std::int64_t transfer_id) = 0;

    virtual bool user_exists(std::int64_t user_id) = 0;
    // The id of the user with this username, other than own_id (serialized per username).
    virtual std::optional<std::int64_t> username_taken(const std::string &username,
                                                       std::int64_t own_id) = 0;
    virtual fields::RoleNamed role_named(const std::string &name) = 0;
    // The names of the groups a user owns, sorted.
    virtual std::vector<std::string> groups_owned_by(std::int64_t user_id) = 0;

    // Whether a group other than own_id has this name (serialized per name).
    virtual bool group_name_taken(const std::string &name, std::int64_t own_id) = 0;
    // Locks the group row FOR SHARE and returns its owner, nullopt when there is no such group:
    // an owner change of the group waits for the locker, or the locker sees its result.
    virtual std::optional<std::int64_t> lock_group(std::int64_t group_id) = 0;
    // The member role a user holds in a group, nullopt for none (serialized per member).
    virtual std::optional<std::string> member_role(std::int64_t user_id, std::int64_t group_id) = 0;

    // Whether another connection of the group has this name (serialized per name and group).
    virtual bool connection_name_taken(std::int64_t group_id, const std::string &name,
                                       std::int64_t own_id) = 0;
    // The names and slugs of the group's other queues (serialized per group: no index can say
    // whether two names normalize alike).
    struct QueueName {
        std::string name;
        std::string slug;
    };
    virtual std::vector<QueueName> other_queues(std::int64_t group_id, std::int64_t own_id) = 0;

    // A connection's group and type; nullopt when there is no such connection.
    struct ConnectionFacts {
        std::int64_t group_id;
        std::string type;
    };
    virtual std::optional<ConnectionFacts> connection(std::int64_t connection_id) = 0;
    // A queue's group; nullopt when there is no such queue.
    virtual std::optional<std::int64_t> queue_group(std::int64_t queue_id) = 0;
    // Whether another transfer of the group has this name (serialized per name and group).
    virtual bool transfer_name_taken(std::int64_t group_id, const std::string &name,
                                     std::int64_t own_id) = 0;

    // A transfer's group and connections; nullopt when there is no such transfer.
    struct TransferFacts {
        std::int64_t group_id;
        std::int64_t source_connection_id;
        std::int64_t target_connection_id;
        std::int64_t queue_id;
        bool is_scheduled = false;
    };
    virtual std::optional<TransferFacts> transfer(std::int64_t transfer_id) = 0;
    // Whether a connection has credentials (an auth_data row).
    virtual bool has_credentials(std::int64_t connection_id) = 0;

    // How many transfers use a connection (as source or target, each counted once) or a queue.
    virtual std::int64_t transfers_using_connection(std::int64_t connection_id) = 0;
    virtual std::int64_t transfers_using_queue(std::int64_t queue_id) = 0;
};

// A row deleted while its group (or a run's transfer) is already gone: the foreign key cascading a
// delete that was allowed already. The foreign keys guarantee no such orphan otherwise, so the
// row's own delete rules (permission, in use) do not apply.
inline bool cascaded(const permissions::Standing &standing) {
    return !standing.group_exists;
}

}  // namespace syncmaster::core
