// An in-memory core::Lookup for the entities' unit tests: a few users, groups, members,
// connections, queues and transfers in plain containers.
#pragma once

#include "core/lookup.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace syncmaster::testing {

class FakeLookup final : public core::Lookup {
public:
    struct User {
        std::string username;
    };
    struct Group {
        std::string name;
        std::int64_t owner_id;
    };
    struct Named {
        std::int64_t group_id;
        std::string name;
        std::string slug;  // queues
        std::string type;  // connections
    };

    std::map<std::int64_t, User> users;
    std::map<std::int64_t, Group> groups;
    std::map<std::pair<std::int64_t, std::int64_t>, std::string> members;  // (user, group) → role
    std::map<std::int64_t, Named> connections;
    std::map<std::int64_t, Named> queues;
    std::map<std::int64_t, Named> transfers;
    std::map<std::string, core::fields::RoleNamed> roles;
    std::map<std::int64_t, std::int64_t> transfers_by_connection;  // connection → transfers
    std::map<std::int64_t, std::int64_t> transfers_by_queue;
    std::map<std::int64_t, std::int64_t> transfer_groups;
    std::set<std::int64_t> locked_groups;
    std::map<std::int64_t, TransferFacts> transfer_facts;
    std::set<std::int64_t> credentials;  // connections with an auth_data row

    core::permissions::Standing standing(const core::identity::Actor &actor,
                                         std::int64_t group_id) override {
        core::permissions::Standing s;
        auto group = groups.find(group_id);
        if (group == groups.end()) {
            return s;
        }
        s.group_exists = true;
        if (actor.system) {
            return s;
        }
        s.is_owner = group->second.owner_id == actor.user_id;
        auto member = members.find({actor.user_id, group_id});
        if (member != members.end()) {
            s.member_role = core::permissions::parse_role(member->second);
        }
        return s;
    }
    std::optional<std::int64_t> group_of_transfer(std::int64_t transfer_id) override {
        auto t = transfer_groups.find(transfer_id);
        return t == transfer_groups.end() ? std::nullopt : std::optional(t->second);
    }
    bool user_exists(std::int64_t user_id) override { return users.count(user_id) > 0; }
    std::optional<std::int64_t> username_taken(const std::string &username,
                                               std::int64_t own_id) override {
        for (const auto &[id, user] : users) {
            if (user.username == username && id != own_id) {
                return id;
            }
        }
        return std::nullopt;
    }
    core::fields::RoleNamed role_named(const std::string &name) override {
        auto role = roles.find(name);
        return role == roles.end() ? core::fields::RoleNamed{} : role->second;
    }
    std::vector<std::string> groups_owned_by(std::int64_t user_id) override {
        std::vector<std::string> names;
        for (const auto &[id, group] : groups) {
            if (group.owner_id == user_id) {
                names.push_back(group.name);
            }
        }
        std::sort(names.begin(), names.end());
        return names;
    }
    bool group_name_taken(const std::string &name, std::int64_t own_id) override {
        for (const auto &[id, group] : groups) {
            if (group.name == name && id != own_id) {
                return true;
            }
        }
        return false;
    }
    std::optional<std::int64_t> lock_group(std::int64_t group_id) override {
        auto group = groups.find(group_id);
        if (group == groups.end()) {
            return std::nullopt;
        }
        locked_groups.insert(group_id);
        return group->second.owner_id;
    }
    std::optional<std::string> member_role(std::int64_t user_id, std::int64_t group_id) override {
        auto member = members.find({user_id, group_id});
        return member == members.end() ? std::nullopt : std::optional(member->second);
    }
    bool connection_name_taken(std::int64_t group_id, const std::string &name,
                               std::int64_t own_id) override {
        for (const auto &[id, c] : connections) {
            if (c.group_id == group_id && c.name == name && id != own_id) {
                return true;
            }
        }
        return false;
    }
    std::vector<QueueName> other_queues(std::int64_t group_id, std::int64_t own_id) override {
        std::vector<QueueName> out;
        for (const auto &[id, q] : queues) {
            if (q.group_id == group_id && id != own_id) {
                out.push_back(QueueName{q.name, q.slug});
            }
        }
        return out;
    }
    std::optional<ConnectionFacts> connection(std::int64_t id) override {
        auto c = connections.find(id);
        if (c == connections.end()) {
            return std::nullopt;
        }
        return ConnectionFacts{c->second.group_id, c->second.type};
    }
    std::optional<std::int64_t> queue_group(std::int64_t id) override {
        auto q = queues.find(id);
        return q == queues.end() ? std::nullopt : std::optional(q->second.group_id);
    }
    bool transfer_name_taken(std::int64_t group_id, const std::string &name,
                             std::int64_t own_id) override {
        for (const auto &[id, t] : transfers) {
            if (t.group_id == group_id && t.name == name && id != own_id) {
                return true;
            }
        }
        return false;
    }
    std::optional<TransferFacts> transfer(std::int64_t id) override {
        auto t = transfer_facts.find(id);
        return t == transfer_facts.end() ? std::nullopt : std::optional(t->second);
    }
    bool has_credentials(std::int64_t connection_id) override {
        return credentials.count(connection_id) > 0;
    }
    std::int64_t transfers_using_connection(std::int64_t id) override {
        auto n = transfers_by_connection.find(id);
        return n == transfers_by_connection.end() ? 0 : n->second;
    }
    std::int64_t transfers_using_queue(std::int64_t id) override {
        auto n = transfers_by_queue.find(id);
        return n == transfers_by_queue.end() ? 0 : n->second;
    }
};

}  // namespace syncmaster::testing
