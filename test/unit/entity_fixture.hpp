// The world the entities' unit tests share: group 10 "analytics" owned by alice (1), with bob (2)
// a Developer, carl (3) a Guest and dora (6) a Maintainer; root (4) a superuser; eve (5) a
// stranger; connections 100 "warehouse" (postgres) and 101 "lake" (s3), queue 200 "Nightly ETL"
// and transfer 300 "nightly load" in the group; group 11 "billing" of eve with connection 102 and
// queue 201.
#pragma once

#include "core/identity.hpp"

#include "fake_lookup.hpp"
#include "outcome.hpp"

namespace syncmaster::testing {

inline const core::identity::Actor kSystem = core::identity::Actor::make_system();
inline const core::identity::Actor kRoot{false, 4, true};
inline const core::identity::Actor kOwner{false, 1, false};
inline const core::identity::Actor kDeveloper{false, 2, false};
inline const core::identity::Actor kGuest{false, 3, false};
inline const core::identity::Actor kStranger{false, 5, false};
inline const core::identity::Actor kMaintainer{false, 6, false};

inline FakeLookup world() {
    FakeLookup w;
    w.users = {{1, {"alice"}}, {2, {"bob"}}, {3, {"carl"}},
               {4, {"root"}},  {5, {"eve"}}, {6, {"dora"}}};
    w.groups = {{10, {"analytics", 1}}, {11, {"billing", 5}}};
    w.members = {{{2, 10}, "Developer"}, {{3, 10}, "Guest"}, {{6, 10}, "Maintainer"}};
    w.connections = {{100, {10, "warehouse", "", "postgres"}},
                     {101, {10, "lake", "", "s3"}},
                     {102, {11, "elsewhere", "", "postgres"}}};
    w.queues = {{200, {10, "Nightly ETL", "10-nightly_etl", ""}},
                {201, {11, "Other", "11-other", ""}}};
    w.transfers = {{300, {10, "nightly load", "", ""}}};
    w.transfer_facts = {{300, {10, 100, 101, 200}}};
    w.transfer_groups = {{300, 10}};
    w.credentials = {100, 101};
    w.roles = {{"alice", {true, true}}, {"team", {true, false}}};
    return w;
}

}  // namespace syncmaster::testing
