// core::Lookup answered from the database: index probes over the latest committed rows (see
// relations.hpp), the cached standings (standing.hpp), and the transaction locks that serialize
// the "taken" questions so that two writers of one name take turns.
#pragma once

#include "core/lookup.hpp"

#include "pg/pg.hpp"

#include <string>

namespace syncmaster::pg {

class Probes final : public core::Lookup {
public:
    core::permissions::Standing standing(const core::identity::Actor &actor,
                                         std::int64_t group_id) override;
    std::optional<std::int64_t> group_of_transfer(std::int64_t transfer_id) override;
    bool user_exists(std::int64_t user_id) override;
    std::optional<std::int64_t> username_taken(const std::string &username,
                                               std::int64_t own_id) override;
    core::fields::RoleNamed role_named(const std::string &name) override;
    std::vector<std::string> groups_owned_by(std::int64_t user_id) override;
    bool group_name_taken(const std::string &name, std::int64_t own_id) override;
    std::optional<std::int64_t> lock_group(std::int64_t group_id) override;
    std::optional<std::string> member_role(std::int64_t user_id, std::int64_t group_id) override;
    bool connection_name_taken(std::int64_t group_id, const std::string &name,
                               std::int64_t own_id) override;
    std::vector<QueueName> other_queues(std::int64_t group_id, std::int64_t own_id) override;
    std::optional<ConnectionFacts> connection(std::int64_t connection_id) override;
    std::optional<std::int64_t> queue_group(std::int64_t queue_id) override;
    bool transfer_name_taken(std::int64_t group_id, const std::string &name,
                             std::int64_t own_id) override;
    std::optional<TransferFacts> transfer(std::int64_t transfer_id) override;
    bool has_credentials(std::int64_t connection_id) override;
    std::int64_t transfers_using_connection(std::int64_t connection_id) override;
    std::int64_t transfers_using_queue(std::int64_t queue_id) override;
};

// The methods of the tables an entity owns alone are defined beside it (src/<entity>/pg_probes):
// connection (and auth_data), queue and transfer.

// The transaction locks that serialize each "taken" question: waits for, then holds until the
// transaction ends, the lock on `key` in `scope` of `lock_class` (four ASCII letters, one per
// question), so that the writers of one name take turns and the second, reading the latest
// committed rows after the first ended, sees what it wrote. C++ regime.
void serialize(uint32 lock_class, uint32 scope, uint32 key);
// Hashes for the scope and key, chained by seed (a collision only makes two writers take turns).
uint32 hash_text(const std::string &text, uint32 seed = 0);
uint32 hash_int8(std::int64_t value, uint32 seed = 0);

// The slug of a queue; "" when there is no such queue (src/queue/pg_probes).
std::string queue_slug(std::int64_t queue_id);

}  // namespace syncmaster::pg
