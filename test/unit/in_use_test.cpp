#include "core/in_use.hpp"

#include <gtest/gtest.h>

#include "outcome.hpp"

namespace in_use = syncmaster::core::in_use;
using syncmaster::testing::constraint_of;
using syncmaster::testing::outcome;

TEST(InUse, ConnectionsAndQueuesUsedByTransfers) {
    EXPECT_EQ(outcome([] { in_use::check_connection_deletable(0); }), "ok");
    EXPECT_EQ(
        outcome([] { in_use::check_connection_deletable(2); }),
        "55000 The connection has an associated transfers. Number of the connected transfers: 2");
    EXPECT_EQ(outcome([] { in_use::check_connection_type_change(0); }), "ok");
    EXPECT_EQ(
        outcome([] { in_use::check_connection_type_change(1); }),
        "55000 You cannot update the connection type of a connection already associated with a "
        "transfer.");
    EXPECT_EQ(outcome([] { in_use::check_queue_deletable(0); }), "ok");
    EXPECT_EQ(outcome([] { in_use::check_queue_deletable(3); }),
              "55000 The queue has an associated transfers(s). Number of the linked transfers: 3");
}

TEST(InUse, TakenNames) {
    constexpr syncmaster::core::Constraint kQueueSlug{"queue", "uq__queue__slug"};
    constexpr syncmaster::core::Constraint kConnectionName{"connection",
                                                           "uq__connection__name_group_id"};
    EXPECT_EQ(outcome([&] { in_use::name_taken("queue", kQueueSlug); }),
              "23505 The queue name already exists in the target group, please specify a new one");
    EXPECT_EQ(outcome([&] { in_use::name_taken("connection", kConnectionName); }),
              "23505 The connection name already exists in the target group, please specify a new "
              "one");
    // SyncMaster's server picks its answer by the constraint's name.
    EXPECT_EQ(constraint_of([&] { in_use::name_taken("queue", kQueueSlug); }),
              "queue.uq__queue__slug");
    EXPECT_EQ(constraint_of([] { throw syncmaster::core::Error("23505", "taken"); }), ".");
}
