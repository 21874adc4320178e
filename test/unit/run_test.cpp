#include "run/rules.hpp"

#include <gtest/gtest.h>

#include "entity_fixture.hpp"

using namespace syncmaster::testing;
namespace run = syncmaster::core::run;

namespace {

const std::string kForbidden = "42501 You have no power here";
// Statements run at 1 000 s; a lease lasts 60 s.
const run::Clock kClock{1'000'000'000, 60'000'000};
constexpr std::int64_t kLeaseEnd = 1'060'000'000;

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
    run::Outcome out = run::on_insert(kDeveloper, row("CREATED"), w, kClock);
    EXPECT_TRUE(out.build_dump);
    EXPECT_FALSE(out.stamps.started_at);
    EXPECT_EQ(outcome([&] { run::on_insert(kGuest, row("CREATED"), w, kClock); }), kForbidden);
    EXPECT_EQ(outcome([&] { run::on_insert(kStranger, row("CREATED"), w, kClock); }),
              "P0002 Transfer not found");
    auto unknown = row("CREATED");
    unknown.transfer_id = 999;
    EXPECT_EQ(outcome([&] { run::on_insert(kRoot, unknown, w, kClock); }),
              "P0002 Transfer not found");
    EXPECT_EQ(outcome([&] { run::on_insert(kDeveloper, row("STARTED"), w, kClock); }), kForbidden);
    EXPECT_EQ(outcome([&] { run::on_insert(kDeveloper, row("CREATED", "SCHEDULED"), w, kClock); }),
              kForbidden);
    EXPECT_EQ(outcome([&] { run::on_insert(kSystem, row("CREATED", "HOURLY"), w, kClock); }),
              "22023 Input should be one of: MANUAL, SCHEDULED");
}

TEST(Run, BothConnectionsNeedCredentials) {
    FakeLookup w = world();
    w.credentials.erase(101);
    EXPECT_EQ(outcome([&] { run::on_insert(kDeveloper, row("CREATED"), w, kClock); }),
              "55000 Credentials not set for connection 101");
    w.credentials = {101};
    EXPECT_EQ(outcome([&] { run::on_insert(kDeveloper, row("CREATED"), w, kClock); }),
              "55000 Credentials not set for connection 100");
    // The system's INSERT is trusted (SyncMaster's fixtures write such runs); start_run() and the
    // schedule's job check for themselves.
    EXPECT_EQ(outcome([&] { run::on_insert(kSystem, row("CREATED"), w, kClock); }), "ok");
    EXPECT_EQ(outcome([&] { run::check_credentials(*w.transfer(300), w); }),
              "55000 Credentials not set for connection 100");
}

TEST(Run, SystemRestoresKeepTheirDump) {
    FakeLookup w = world();
    auto restored = row("FINISHED");
    restored.empty_dump = false;
    w.credentials.clear();  // a restored run of a copied connection
    run::Outcome out = run::on_insert(kSystem, restored, w, kClock);
    EXPECT_FALSE(out.build_dump);
    EXPECT_TRUE(out.stamps.ended_at);
    // When it brings its times (a restore), they are kept.
    restored.has_started_at = restored.has_ended_at = true;
    out = run::on_insert(kSystem, restored, w, kClock);
    EXPECT_FALSE(out.stamps.started_at);
    EXPECT_FALSE(out.stamps.ended_at);
    auto half = row("FINISHED");
    half.empty_dump = false;
    half.has_started_at = true;
    out = run::on_insert(kSystem, half, w, kClock);
    EXPECT_FALSE(out.stamps.started_at);
    EXPECT_TRUE(out.stamps.ended_at);
}

TEST(Run, UsersOnlyAskToStop) {
    FakeLookup w = world();
    EXPECT_EQ(
        outcome([&] { run::on_update(kDeveloper, row("CREATED"), row("STOPPED"), w, kClock); }),
        "ok");
    EXPECT_EQ(outcome([&] {
                  run::on_update(kDeveloper, row("STARTED"), row("SEND_STOP_SIGNAL"), w, kClock);
              }),
              "ok");
    EXPECT_EQ(
        outcome([&] { run::on_update(kDeveloper, row("CREATED"), row("STARTED"), w, kClock); }),
        kForbidden);
    EXPECT_EQ(
        outcome([&] { run::on_update(kDeveloper, row("STARTED"), row("FINISHED"), w, kClock); }),
        kForbidden);
    EXPECT_EQ(outcome([&] { run::on_update(kGuest, row("CREATED"), row("STOPPED"), w, kClock); }),
              kForbidden);
    EXPECT_EQ(outcome([&] { run::on_update(kSystem, row("CREATED"), row("STARTED"), w, kClock); }),
              "ok");
    EXPECT_TRUE(
        run::on_update(kSystem, row("CREATED"), row("STARTED"), w, kClock).stamps.started_at);
}

TEST(Run, TheStateMachineOnEveryPath) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { run::on_update(kSystem, row("FINISHED"), row("STARTED"), w, kClock); }),
              "55000 Run 500 is FINISHED and cannot change");
    EXPECT_EQ(outcome([&] { run::on_update(kSystem, row("CREATED"), row("FINISHED"), w, kClock); }),
              "55000 Cannot change the status of run 500 from CREATED to FINISHED");
}

TEST(Run, LogUrls) {
    EXPECT_EQ(run::log_url("https://logs/{queue}/{transfer_id}/{run_id}?x={", 7, 3, "10-etl"),
              "https://logs/10-etl/3/7?x={");
    EXPECT_EQ(run::log_url("", 7, 3, "q"), "");
}

namespace {

run::Row running(const char *status, std::optional<std::int64_t> lease,
                 const char *worker = "w-1") {
    run::Row r = row(status);
    r.lease_expires_at = lease;
    r.worker = worker;
    return r;
}

}  // namespace

TEST(Run, AClaimGetsALeaseOnEveryPath) {
    FakeLookup w = world();
    run::Outcome out = run::on_update(kSystem, row("CREATED"), running("STARTED", {}), w, kClock);
    ASSERT_TRUE(out.lease_expires_at.has_value());
    EXPECT_EQ(*out.lease_expires_at, std::optional<std::int64_t>(kLeaseEnd));
    // The system may bring its own expiry.
    out = run::on_update(kSystem, row("CREATED"), running("STARTED", 5), w, kClock);
    EXPECT_FALSE(out.lease_expires_at.has_value());
    // A restored running run keeps its lease; one without gets one, so the reaper can reap it.
    auto restored = running("STARTED", 7);
    restored.empty_dump = false;
    EXPECT_FALSE(run::on_insert(kSystem, restored, w, kClock).lease_expires_at.has_value());
    restored.lease_expires_at.reset();
    EXPECT_EQ(*run::on_insert(kSystem, restored, w, kClock).lease_expires_at,
              std::optional<std::int64_t>(kLeaseEnd));
}

TEST(Run, SyncMastersStopOfAQueuedRunStopsIt) {
    FakeLookup w = world();
    // SyncMaster's server writes SEND_STOP_SIGNAL whatever the status: no worker holds a queued
    // run, so it is STOPPED at once, and ended.
    for (const auto &actor : {kDeveloper, kSystem}) {
        run::Outcome out =
            run::on_update(actor, row("CREATED"), row("SEND_STOP_SIGNAL"), w, kClock);
        ASSERT_TRUE(out.status.has_value());
        EXPECT_EQ(*out.status, syncmaster::core::run_state::Status::kStopped);
        EXPECT_TRUE(out.stamps.ended_at);
    }
    EXPECT_EQ(outcome([&] {
                  run::on_update(kGuest, row("CREATED"), row("SEND_STOP_SIGNAL"), w, kClock);
              }),
              kForbidden);
    EXPECT_FALSE(run::on_update(kDeveloper, running("STARTED", 900),
                                running("SEND_STOP_SIGNAL", 900), w, kClock)
                     .status.has_value());
}

TEST(Run, RunsOfCeleryWorkersHoldNoLease) {
    FakeLookup w = world();
    run::Clock celery = kClock;
    celery.leases = false;
    EXPECT_FALSE(run::on_update(kSystem, row("CREATED"), running("STARTED", {}), w, celery)
                     .lease_expires_at.has_value());
    // Ending still clears whatever lease there was.
    EXPECT_EQ(*run::on_update(kSystem, running("STARTED", 900), running("FINISHED", 900), w, celery)
                   .lease_expires_at,
              std::nullopt);
}

TEST(Run, HeartbeatsRenewAndStopRequestsKeepTheLease) {
    FakeLookup w = world();
    auto held = running("STARTED", 900);
    EXPECT_EQ(*run::on_update(kSystem, held, held, w, kClock).lease_expires_at,
              std::optional<std::int64_t>(kLeaseEnd));
    // An expiry set by the statement is kept (a test moving a lease into the past, say).
    EXPECT_FALSE(run::on_update(kSystem, held, running("STARTED", 5), w, kClock)
                     .lease_expires_at.has_value());
    // A stop request, by a user or the system, keeps the worker's lease.
    EXPECT_FALSE(run::on_update(kDeveloper, held, running("SEND_STOP_SIGNAL", 900), w, kClock)
                     .lease_expires_at.has_value());
    EXPECT_FALSE(run::on_update(kSystem, held, running("SEND_STOP_SIGNAL", 900), w, kClock)
                     .lease_expires_at.has_value());
    // A running run never loses its lease: cleared by a statement, it keeps the one it had.
    EXPECT_EQ(
        *run::on_update(kSystem, held, running("SEND_STOP_SIGNAL", {}), w, kClock).lease_expires_at,
        std::optional<std::int64_t>(900));
}

TEST(Run, AnEndedRunHasNoLeaseAndSaysWhyTheReaperFailedIt) {
    FakeLookup w = world();
    auto expired = running("STARTED", kClock.now - 1);
    run::Outcome out =
        run::on_update(kSystem, expired, running("FAILED", kClock.now - 1), w, kClock);
    EXPECT_EQ(*out.lease_expires_at, std::nullopt);
    EXPECT_TRUE(out.lease_expired_reason);
    EXPECT_TRUE(out.log_url_from_template);
    // A reason given is kept; a lease still valid is no reason; a log_url given is kept.
    auto given = running("FAILED", kClock.now - 1);
    given.has_failure_reason = given.has_log_url = true;
    out = run::on_update(kSystem, expired, given, w, kClock);
    EXPECT_FALSE(out.lease_expired_reason);
    EXPECT_FALSE(out.log_url_from_template);
    auto alive = running("STARTED", kLeaseEnd);
    EXPECT_FALSE(run::on_update(kSystem, alive, running("FAILED", kLeaseEnd), w, kClock)
                     .lease_expired_reason);
    // A user's stop of a queued run gets no log_url: it never ran.
    EXPECT_FALSE(run::on_update(kDeveloper, row("CREATED"), row("STOPPED"), w, kClock)
                     .log_url_from_template);
    EXPECT_EQ(
        run::lease_expired(std::nullopt, "2026-01-01 00:00:00+00"),
        "The lease of worker (unnamed) expired at 2026-01-01 00:00:00+00 without a heartbeat");
}

TEST(Run, ScheduledRunsOfScheduledTransfersOnly) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { run::on_insert(kSystem, row("CREATED", "SCHEDULED"), w, kClock); }),
              "55000 Transfer 300 is not scheduled");
    EXPECT_FALSE(run::fires(w.transfer_facts.at(300)));
    w.transfer_facts.at(300).is_scheduled = true;
    EXPECT_TRUE(run::fires(w.transfer_facts.at(300)));
    EXPECT_EQ(outcome([&] { run::on_insert(kSystem, row("CREATED", "SCHEDULED"), w, kClock); }),
              "ok");
    // A restored SCHEDULED run of a transfer no longer scheduled keeps its history.
    w.transfer_facts.at(300).is_scheduled = false;
    auto restored = row("FINISHED", "SCHEDULED");
    restored.empty_dump = false;
    EXPECT_EQ(outcome([&] { run::on_insert(kSystem, restored, w, kClock); }), "ok");
}

TEST(Run, WorkersFinishWithATerminalStatus) {
    EXPECT_EQ(run::finish_status("STOPPED"), syncmaster::core::run_state::Status::kStopped);
    EXPECT_EQ(outcome([] { run::finish_status("STARTED"); }),
              "22023 A run finishes as FINISHED, FAILED or STOPPED");
    EXPECT_EQ(outcome([] { run::finish_status("DONE"); }),
              "22023 Input should be one of: CREATED, STARTED, FINISHED, FAILED, "
              "SEND_STOP_SIGNAL, STOPPED");
}
