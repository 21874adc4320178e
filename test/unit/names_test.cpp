#include "queue/names.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace names = syncmaster::core::names;
using syncmaster::core::Error;

// SyncMaster's examples.
TEST(QueueSlug, AsSyncMaster) {
    EXPECT_EQ(names::queue_slug(7, "New queue"), "7-new_queue");
    EXPECT_EQ(names::queue_slug(7, "New queue123!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
              "7-new_queue123");
    EXPECT_EQ(names::queue_slug(7, "!!!"), "7-");
    EXPECT_EQ(names::queue_short_name("  --Nightly  ETL--  "), "nightly_etl");
    EXPECT_EQ(names::queue_short_name("New Queue"), names::queue_short_name("new-queue"));
    EXPECT_EQ(names::queue_short_name("a__b"), "a_b");
}

TEST(Names, QueueNamesArePrintableAscii) {
    EXPECT_NO_THROW(names::check_queue_name("Nightly ETL ~1"));
    try {
        names::check_queue_name("очередь");
        ADD_FAILURE();
    } catch (const Error &e) {
        EXPECT_EQ(e.message(), "queue name must be printable ASCII (from space to ~)");
    }
    EXPECT_THROW(names::check_queue_name("tab\there"), Error);
}
