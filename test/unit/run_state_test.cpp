#include "run/state.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "outcome.hpp"

namespace rs = syncmaster::core::run_state;
using rs::Status;
using syncmaster::testing::outcome;

namespace {

const Status kAll[] = {Status::kCreated, Status::kStarted,        Status::kFinished,
                       Status::kFailed,  Status::kSendStopSignal, Status::kStopped};

}  // namespace

TEST(RunState, EveryPairOfTheSixStatuses) {
    const std::set<std::pair<Status, Status>> legal = {
        {Status::kCreated, Status::kStarted},        {Status::kCreated, Status::kStopped},
        {Status::kCreated, Status::kFailed},         {Status::kStarted, Status::kFinished},
        {Status::kStarted, Status::kFailed},         {Status::kStarted, Status::kSendStopSignal},
        {Status::kSendStopSignal, Status::kStopped}, {Status::kSendStopSignal, Status::kFinished},
        {Status::kSendStopSignal, Status::kFailed}};
    for (Status from : kAll) {
        for (Status to : kAll) {
            bool expected = legal.count({from, to}) > 0 || (from == to && !rs::is_terminal(from));
            EXPECT_EQ(rs::allowed(from, to), expected) << rs::name(from) << " → " << rs::name(to);
            std::string refusal = outcome([&] { rs::check(7, from, to); });
            if (expected) {
                EXPECT_EQ(refusal, "ok");
            } else if (rs::is_terminal(from)) {
                EXPECT_EQ(refusal,
                          std::string("55000 Run 7 is ") + rs::name(from) + " and cannot change");
            } else {
                EXPECT_EQ(refusal, std::string("55000 Cannot change the status of run 7 from ") +
                                       rs::name(from) + " to " + rs::name(to));
            }
        }
    }
}

TEST(RunState, TimestampsOfEachTransition) {
    for (Status from : kAll) {
        for (Status to : kAll) {
            rs::Stamps s = rs::stamps(from, to);
            EXPECT_EQ(s.started_at, from != to && to == Status::kStarted);
            EXPECT_EQ(s.ended_at, from != to && rs::is_terminal(to));
        }
    }
}

TEST(RunState, StopRequests) {
    EXPECT_EQ(rs::stop(3, Status::kCreated), Status::kStopped);
    EXPECT_EQ(rs::stop(3, Status::kStarted), Status::kSendStopSignal);
    for (Status s :
         {Status::kFinished, Status::kFailed, Status::kStopped, Status::kSendStopSignal}) {
        EXPECT_EQ(outcome([&] { rs::stop(3, s); }),
                  std::string("55000 Cannot stop run 3. Current status is ") + rs::name(s));
    }
}

TEST(RunState, AStopSignalToAQueuedRunIsStoredAsStopped) {
    for (Status from : kAll) {
        for (Status to : kAll) {
            Status expected =
                from == Status::kCreated && to == Status::kSendStopSignal ? Status::kStopped : to;
            EXPECT_EQ(rs::stored(from, to), expected) << rs::name(from) << " → " << rs::name(to);
        }
    }
}

TEST(RunState, Names) {
    for (Status s : kAll) {
        EXPECT_EQ(rs::require(rs::name(s)), s);
    }
    EXPECT_EQ(outcome([] { rs::require("RUNNING"); }),
              "22023 Input should be one of: CREATED, STARTED, FINISHED, FAILED, SEND_STOP_SIGNAL, "
              "STOPPED");
}
