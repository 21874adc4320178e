#include "queue/rules.hpp"

#include <gtest/gtest.h>

#include "entity_fixture.hpp"

using namespace syncmaster::testing;
namespace queue = syncmaster::core::queue;

namespace {

const std::string kForbidden = "42501 You have no power here";

queue::Row nightly() {
    return queue::Row{200, 10, std::string("Nightly ETL"), std::string("10-nightly_etl")};
}

}  // namespace

TEST(Queue, MaintainersCreateWithTheSlugOfTheName) {
    FakeLookup w = world();
    queue::Row row{201, 10, std::string("Hourly Loads!"), std::string("ignored")};
    EXPECT_EQ(queue::on_insert(kMaintainer, row, w), "10-hourly_loads");
    EXPECT_EQ(outcome([&] { queue::on_insert(kDeveloper, row, w); }), kForbidden);
    // The system brings a slug (a restore): kept.
    EXPECT_EQ(queue::on_insert(kSystem, row, w), std::nullopt);
    row.slug = std::nullopt;
    EXPECT_EQ(queue::on_insert(kSystem, row, w), "10-hourly_loads");
}

TEST(Queue, NamesAreUniqueOnceNormalized) {
    FakeLookup w = world();
    queue::Row row{201, 10, std::string("nightly-etl"), std::nullopt};
    EXPECT_EQ(outcome([&] { queue::on_insert(kOwner, row, w); }),
              "23505 The queue name already exists in the target group, please specify a new one");
    EXPECT_EQ(detail_of([&] { queue::on_insert(kOwner, row, w); }),
              "\"nightly-etl\" and the queue \"Nightly ETL\" normalize to the same slug "
              "\"10-nightly_etl\".");
    row.name = "Nightly ETL";  // the same name: the message says it all
    EXPECT_EQ(detail_of([&] { queue::on_insert(kOwner, row, w); }), "");
    row.name = "очередь";
    EXPECT_EQ(outcome([&] { queue::on_insert(kOwner, row, w); }),
              "22023 queue name must be printable ASCII (from space to ~)");
    row.name = "ab";
    EXPECT_EQ(outcome([&] { queue::on_insert(kOwner, row, w); }),
              "22023 queue name must have 3 to 128 characters");
    // A renamed queue keeps its slug: a new queue may not take it.
    w.queues[200].name = "Renamed";
    row.name = "Nightly ETL";
    EXPECT_EQ(outcome([&] { queue::on_insert(kOwner, row, w); }),
              "23505 The queue name already exists in the target group, please specify a new one");
    EXPECT_EQ(detail_of([&] { queue::on_insert(kOwner, row, w); }),
              "The queue \"Renamed\" keeps the slug \"10-nightly_etl\" it was created with (a "
              "renamed queue keeps its slug).");
}

TEST(Queue, TheSlugAndTheGroupStay) {
    FakeLookup w = world();
    auto renamed = nightly();
    renamed.name = "Night Loads";
    EXPECT_EQ(outcome([&] { queue::on_update(kOwner, nightly(), renamed, w); }), "ok");
    // A slug or a group never changes: the column rights refuse it (columns_test.cpp).
}

TEST(Queue, NoDeleteWhileTransfersUseIt) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { queue::on_delete(kMaintainer, nightly(), w); }), "ok");
    w.transfers_by_queue[200] = 1;
    EXPECT_EQ(outcome([&] { queue::on_delete(kMaintainer, nightly(), w); }),
              "55000 The queue has an associated transfers(s). Number of the linked transfers: 1");
}
