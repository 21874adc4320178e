#include "transfer/cron.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "outcome.hpp"

namespace cron = syncmaster::core::cron;
using syncmaster::testing::outcome;

namespace {

// UTC "YYYY-MM-DD HH:MM" ↔ epoch seconds.
std::int64_t at(const char *text) {
    std::tm tm{};
    strptime(text, "%Y-%m-%d %H:%M", &tm);
    return static_cast<std::int64_t>(timegm(&tm));
}

std::string show(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %a", gmtime(&tt));
    return buf;
}

std::vector<std::string> next(const char *schedule, const char *after, int n) {
    std::vector<std::string> out;
    for (std::int64_t t : cron::next(cron::parse(schedule), at(after), n)) {
        out.push_back(show(t));
    }
    return out;
}

std::string refusal(const char *schedule) {
    return outcome([&] { cron::parse(schedule); });
}

}  // namespace

TEST(Cron, EveryMinuteAndSteps) {
    EXPECT_EQ(next("* * * * *", "2026-11-29 01:15", 2),
              (std::vector<std::string>{"2026-11-29 01:16 Sun", "2026-11-29 01:17 Sun"}));
    EXPECT_EQ(next("*/20 * * * *", "2026-11-29 01:15", 3),
              (std::vector<std::string>{"2026-11-29 01:20 Sun", "2026-11-29 01:40 Sun",
                                        "2026-11-29 02:00 Sun"}));
    EXPECT_EQ(next("5-20/5,59 3 * * *", "2026-11-29 03:10", 4),
              (std::vector<std::string>{"2026-11-29 03:15 Sun", "2026-11-29 03:20 Sun",
                                        "2026-11-29 03:59 Sun", "2026-11-30 03:05 Mon"}));
}

TEST(Cron, MonthEndsAndLeapDays) {
    EXPECT_EQ(next("0 12 31 * *", "2026-01-31 12:00", 3),
              (std::vector<std::string>{"2026-03-31 12:00 Tue", "2026-05-31 12:00 Sun",
                                        "2026-07-31 12:00 Fri"}));
    EXPECT_EQ(next("0 0 29 2 *", "2026-01-01 00:00", 2),
              (std::vector<std::string>{"2028-02-29 00:00 Tue", "2032-02-29 00:00 Sun"}));
    // 2100 is no leap year: from 2096 the next Feb 29 is in 2104, eight years on.
    EXPECT_EQ(next("0 0 29 feb *", "2096-03-01 00:00", 1),
              (std::vector<std::string>{"2104-02-29 00:00 Fri"}));
    EXPECT_EQ(refusal("0 0 30 2 *"), "22023 schedule: it never fires (no month has that day)");
    EXPECT_EQ(refusal("0 0 31 4,6,9,11 *"),
              "22023 schedule: it never fires (no month has that day)");
}

TEST(Cron, DayOfMonthOrDayOfWeek) {
    // Both restricted: either matches (the 13th, or any Friday).
    EXPECT_EQ(next("0 0 13 * 5", "2026-11-01 00:00", 4),
              (std::vector<std::string>{"2026-11-06 00:00 Fri", "2026-11-13 00:00 Fri",
                                        "2026-11-20 00:00 Fri", "2026-11-27 00:00 Fri"}));
    EXPECT_EQ(next("0 0 13 * 1", "2026-11-01 00:00", 3),
              (std::vector<std::string>{"2026-11-02 00:00 Mon", "2026-11-09 00:00 Mon",
                                        "2026-11-13 00:00 Fri"}));
    // A field that starts with '*' (also "*/2") makes it an AND, as in vixie cron and pg_cron.
    EXPECT_EQ(next("0 0 */2 * 1", "2026-11-01 00:00", 2),
              (std::vector<std::string>{"2026-11-09 00:00 Mon", "2026-11-23 00:00 Mon"}));
    EXPECT_EQ(next("0 0 * * 1", "2026-11-01 00:00", 1),
              (std::vector<std::string>{"2026-11-02 00:00 Mon"}));
}

TEST(Cron, SundayIsZeroAndSeven) {
    auto sunday = next("0 9 * * 0", "2026-11-01 00:00", 2);
    EXPECT_EQ(sunday, (std::vector<std::string>{"2026-11-01 09:00 Sun", "2026-11-08 09:00 Sun"}));
    EXPECT_EQ(next("0 9 * * 7", "2026-11-01 00:00", 2), sunday);
    EXPECT_EQ(next("0 9 * * SUN", "2026-11-01 00:00", 2), sunday);
    EXPECT_EQ(next("0 9 * * 5-7", "2026-11-05 10:00", 3),
              (std::vector<std::string>{"2026-11-06 09:00 Fri", "2026-11-07 09:00 Sat",
                                        "2026-11-08 09:00 Sun"}));
}

TEST(Cron, NamesAndAliases) {
    EXPECT_EQ(next("30 8 * jan-mar mon-fri", "2026-12-31 00:00", 2),
              (std::vector<std::string>{"2027-01-01 08:30 Fri", "2027-01-04 08:30 Mon"}));
    EXPECT_EQ(next("@hourly", "2026-11-29 01:15", 1),
              (std::vector<std::string>{"2026-11-29 02:00 Sun"}));
    EXPECT_EQ(next("@daily", "2026-11-29 01:15", 1),
              (std::vector<std::string>{"2026-11-30 00:00 Mon"}));
    EXPECT_EQ(next("@midnight", "2026-11-29 01:15", 1), next("@daily", "2026-11-29 01:15", 1));
    EXPECT_EQ(next("@weekly", "2026-11-29 01:15", 1),
              (std::vector<std::string>{"2026-12-06 00:00 Sun"}));
    EXPECT_EQ(next("@monthly", "2026-11-29 01:15", 1),
              (std::vector<std::string>{"2026-12-01 00:00 Tue"}));
    EXPECT_EQ(next("@yearly", "2026-11-29 01:15", 1),
              (std::vector<std::string>{"2027-01-01 00:00 Fri"}));
    EXPECT_EQ(next("@annually", "2026-11-29 01:15", 1), next("@yearly", "2026-11-29 01:15", 1));
}

TEST(Cron, ErrorsNameTheField) {
    EXPECT_EQ(refusal(""), "22023 schedule: it is empty");
    EXPECT_EQ(refusal("* * * *"), "22023 schedule: it has 4 fields, not 5");
    EXPECT_EQ(refusal("* * * * * *"), "22023 schedule: it has 6 fields, not 5");
    EXPECT_EQ(refusal("60 * * * *"),
              "22023 schedule: field \"minute\" (\"60\"): 60 is out of range 0-59");
    EXPECT_EQ(refusal("* 24 * * *"),
              "22023 schedule: field \"hour\" (\"24\"): 24 is out of range 0-23");
    EXPECT_EQ(refusal("* * 0 * *"),
              "22023 schedule: field \"day-of-month\" (\"0\"): 0 is out of range 1-31");
    EXPECT_EQ(refusal("* * * 13 *"),
              "22023 schedule: field \"month\" (\"13\"): 13 is out of range 1-12");
    EXPECT_EQ(refusal("* * * * 8"),
              "22023 schedule: field \"day-of-week\" (\"8\"): 8 is out of range 0-7");
    EXPECT_EQ(
        refusal("* * * january *"),
        "22023 schedule: field \"month\" (\"january\"): \"january\" is not a number or a name");
    EXPECT_EQ(refusal("5x * * * *"),
              "22023 schedule: field \"minute\" (\"5x\"): \"5x\" is not a number");
    EXPECT_EQ(refusal("*/0 * * * *"),
              "22023 schedule: field \"minute\" (\"*/0\"): the step must be at least 1");
    EXPECT_EQ(
        refusal("5/10 * * * *"),
        "22023 schedule: field \"minute\" (\"5/10\"): a step needs a range or '*' (as \"*/10\")");
    EXPECT_EQ(refusal("5-1 * * * *"),
              "22023 schedule: field \"minute\" (\"5-1\"): the range 5-1 is backwards");
    EXPECT_EQ(refusal("1,,2 * * * *"),
              "22023 schedule: field \"minute\" (\"1,,2\"): a number is missing");
    EXPECT_EQ(refusal("@reboot"),
              "22023 schedule: \"@reboot\" is not one of @yearly, @annually, @monthly, @weekly, "
              "@daily, @midnight, @hourly");
}

TEST(Cron, FiresAt) {
    cron::Schedule s = cron::parse("15 10 * * *");
    EXPECT_TRUE(cron::fires_at(s, at("2026-11-29 10:15")));
    EXPECT_FALSE(cron::fires_at(s, at("2026-11-29 10:16")));
}

TEST(Cron, PgCronGetsAliasesAsFiveFields) {
    EXPECT_EQ(cron::pg_cron_form("@yearly"), "0 0 1 1 *");
    EXPECT_EQ(cron::pg_cron_form("@hourly"), "0 * * * *");
    EXPECT_EQ(cron::pg_cron_form("*/5 * * * mon"), "*/5 * * * mon");
    EXPECT_EQ(outcome([] { cron::pg_cron_form("@reboot"); }).substr(0, 5), "22023");
}
