// Cron schedules as pg_cron 1.4 (Debian 12) reads them, and their next fire times in UTC
// (pg_cron 1.4 runs jobs in GMT). A schedule is checked here before pg_cron ever sees it: what
// parse() accepts, pg_cron accepts and reads the same way.
//
// Accepted: five fields separated by blanks — minute 0-59, hour 0-23, day of month 1-31, month
// 1-12 or jan-dec, day of week 0-7 or sun-sat (0 and 7 are Sunday) — each a list of `*`, numbers
// and ranges `a-b`, with an optional step `*/n` or `a-b/n`, names in any case (also in ranges);
// or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.
// Stricter than pg_cron, which ignores some mistakes (so the schedule would not mean what it
// says): text after a field's value ("5x" or "5;"), more than five fields, backwards ranges
// ("5-1", which pg_cron accepts and never fires), a schedule that never fires ("0 0 30 2 *"), and
// @reboot/@restart (a server start is not a time).
#pragma once

#include "core/pure.hpp"

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace syncmaster::core::cron {

struct Schedule {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> days;       // 1..31
    std::bitset<13> months;     // 1..12
    std::bitset<7> weekdays;    // 0..6, Sunday 0 (a 7 counts as 0)
    bool day_star = false;      // the day-of-month field starts with '*' (vixie cron's DOM_STAR)
    bool weekday_star = false;  // the day-of-week field starts with '*' (DOW_STAR)
};

// Parses a schedule; throws Error 22023 "schedule: ..." naming the bad field.
Schedule parse(std::string_view text);

// The schedule as pg_cron is given it: an @alias as its five fields ("@hourly" → "0 * * * *"),
// since some pg_cron releases misread @yearly (no month set, so it never fires); anything else as
// written. The schedule must parse.
std::string pg_cron_form(std::string_view text);

// Whether the schedule fires at the minute starting at `epoch_seconds` (UTC). Day of month and
// day of week: when either field starts with '*' both must match, else either (cron's OR rule).
bool fires_at(const Schedule &schedule, std::int64_t epoch_seconds);

// The next `n` fire times strictly after `after` (UTC epoch seconds, whole minutes), looking at
// most eight years ahead (every day a schedule names comes round in that time, Feb 29 too).
std::vector<std::int64_t> next(const Schedule &schedule, std::int64_t after, int n);

}  // namespace syncmaster::core::cron
