#include "core/run.hpp"

#include <gtest/gtest.h>

#include "entity_fixture.hpp"

using namespace syncmaster::testing;
namespace run = syncmaster::core::run;

namespace {

const std::string kForbidden = "42501 You have no power here";

run::Row row(const char *status, const char *type = "MANUAL") {
    run::Row r;
    r.id = 500;
    r.transfer_id = 300;
    r.status = status;
    r.type = type;
    return r;
}

}  // namespace

TEST(Run, DevelopersStartManualRunsWithADump) {
    FakeLookup w = world();
    run::Outcome out = run::on_insert(kDeveloper, row("CREATED"), w);
    EXPECT_TRUE(out.build_dump);
    EXPECT_FALSE(out.stamps.started_at);
    EXPECT_EQ(outcome([&] { run::on_insert(kGuest, row("CREATED"), w); }), kForbidden);
    EXPECT_EQ(outcome([&] { run::on_insert(kStranger, row("CREATED"), w); }),
              "P0002 Transfer not found");
    auto unknown = row("CREATED");
    unknown.transfer_id = 999;
    EXPECT_EQ(outcome([&] { run::on_insert(kRoot, unknown, w); }), "P0002 Transfer not found");
    EXPECT_EQ(outcome([&] { run::on_insert(kDeveloper, row("STARTED"), w); }), kForbidden);
    EXPECT_EQ(outcome([&] { run::on_insert(kDeveloper, row("CREATED", "SCHEDULED"), w); }),
              kForbidden);
    EXPECT_EQ(outcome([&] { run::on_insert(kSystem, row("CREATED", "SCHEDULED"), w); }), "ok");
    EXPECT_EQ(outcome([&] { run::on_insert(kSystem, row("CREATED", "HOURLY"), w); }),
              "22023 Input should be one of: MANUAL, SCHEDULED");
}

TEST(Run, BothConnectionsNeedCredentials) {
    FakeLookup w = world();
    w.credentials.erase(101);
    EXPECT_EQ(outcome([&] { run::on_insert(kDeveloper, row("CREATED"), w); }),
              "55000 Credentials not set for connection 101");
    w.credentials = {101};
    EXPECT_EQ(outcome([&] { run::on_insert(kSystem, row("CREATED"), w); }),
              "55000 Credentials not set for connection 100");
}

TEST(Run, SystemRestoresKeepTheirDump) {
    FakeLookup w = world();
    auto restored = row("FINISHED");
    restored.empty_dump = false;
    w.credentials.clear();  // a restored run of a copied connection
    run::Outcome out = run::on_insert(kSystem, restored, w);
    EXPECT_FALSE(out.build_dump);
    EXPECT_TRUE(out.stamps.ended_at);
    // When it brings its times (a restore), they are kept.
    restored.has_started_at = restored.has_ended_at = true;
    out = run::on_insert(kSystem, restored, w);
    EXPECT_FALSE(out.stamps.started_at);
    EXPECT_FALSE(out.stamps.ended_at);
    auto half = row("FINISHED");
    half.empty_dump = false;
    half.has_started_at = true;
    out = run::on_insert(kSystem, half, w);
    EXPECT_FALSE(out.stamps.started_at);
    EXPECT_TRUE(out.stamps.ended_at);
}

TEST(Run, UsersOnlyAskToStop) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { run::on_update(kDeveloper, row("CREATED"), row("STOPPED"), w); }),
              "ok");
    EXPECT_EQ(
        outcome([&] { run::on_update(kDeveloper, row("STARTED"), row("SEND_STOP_SIGNAL"), w); }),
        "ok");
    EXPECT_EQ(outcome([&] { run::on_update(kDeveloper, row("CREATED"), row("STARTED"), w); }),
              kForbidden);
    EXPECT_EQ(outcome([&] { run::on_update(kDeveloper, row("STARTED"), row("FINISHED"), w); }),
              kForbidden);
    EXPECT_EQ(outcome([&] { run::on_update(kGuest, row("CREATED"), row("STOPPED"), w); }),
              kForbidden);
    EXPECT_EQ(outcome([&] { run::on_update(kSystem, row("CREATED"), row("STARTED"), w); }), "ok");
    EXPECT_TRUE(run::on_update(kSystem, row("CREATED"), row("STARTED"), w).stamps.started_at);
}

TEST(Run, TheStateMachineOnEveryPath) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { run::on_update(kSystem, row("FINISHED"), row("STARTED"), w); }),
              "55000 Run 500 is FINISHED and cannot change");
    EXPECT_EQ(outcome([&] { run::on_update(kSystem, row("CREATED"), row("FINISHED"), w); }),
              "55000 Cannot change the status of run 500 from CREATED to FINISHED");
}

TEST(Run, LogUrls) {
    EXPECT_EQ(run::log_url("https://logs/{queue}/{transfer_id}/{run_id}?x={", 7, 3, "10-etl"),
              "https://logs/10-etl/3/7?x={");
    EXPECT_EQ(run::log_url("", 7, 3, "q"), "");
}
