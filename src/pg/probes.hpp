// core::Lookup answered from the database: index probes over the latest committed rows (see
// relations.hpp), the cached standings (standing.hpp), and the transaction locks that serialize
// the "taken" questions so that two writers of one name take turns.
#pragma once

#include "core/lookup.hpp"

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

// The slug of a queue; "" when there is no such queue.
std::string queue_slug(std::int64_t queue_id);

}  // namespace syncmaster::pg
