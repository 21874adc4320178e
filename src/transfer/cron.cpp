#include "transfer/cron.hpp"

#include "core/error.hpp"

#include <cctype>

namespace syncmaster::core::cron {

namespace {

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kDay = 24 * 60 * kMinute;
constexpr std::int64_t kHorizonDays = 8 * 366 + 1;

[[noreturn]] void refuse(const std::string &message) {
    throw Error(sqlstate::kInvalidInput, "schedule: " + message,
                "A schedule has five fields (minute hour day-of-month month day-of-week), as "
                "pg_cron reads them, or is one of @yearly, @annually, @monthly, @weekly, @daily, "
                "@midnight, @hourly.");
}

struct Field {
    const char *name;
    int low;
    int high;
    const char *const *names;  // names of the values from `low`, or nullptr
};

const char *const kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",  "jul",
                                   "aug", "sep", "oct", "nov", "dec", nullptr};
const char *const kWeekdayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};

const Field kFields[5] = {{"minute", 0, 59, nullptr},
                          {"hour", 0, 23, nullptr},
                          {"day-of-month", 1, 31, nullptr},
                          {"month", 1, 12, kMonthNames},
                          {"day-of-week", 0, 7, kWeekdayNames}};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char &c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// A number or a name of the field; `what` is the field's whole text, for messages.
int value(const Field &field, std::string_view token, std::string_view what) {
    auto bad = [&](const std::string &why) {
        refuse("field \"" + std::string(field.name) + "\" (\"" + std::string(what) + "\"): " + why);
    };
    if (token.empty()) {
        bad("a number is missing");
    }
    if (field.names != nullptr) {
        std::string name = lower(token);
        for (int i = 0; field.names[i] != nullptr; ++i) {
            if (name == field.names[i]) {
                return field.low + i;
            }
        }
    }
    int number = 0;
    for (char c : token) {
        if (c < '0' || c > '9') {
            bad("\"" + std::string(token) + "\" is not a number" +
                (field.names != nullptr ? " or a name" : ""));
        }
        number = number * 10 + (c - '0');
        if (number > 1000) {
            break;
        }
    }
    if (number < field.low || number > field.high) {
        bad(std::string(token) + " is out of range " + std::to_string(field.low) + "-" +
            std::to_string(field.high));
    }
    return number;
}

// The values one field's text names, as bits from field.low.
std::vector<bool> parse_field(const Field &field, std::string_view text) {
    std::vector<bool> bits(static_cast<std::size_t>(field.high - field.low + 1), false);
    auto bad = [&](const std::string &why) {
        refuse("field \"" + std::string(field.name) + "\" (\"" + std::string(text) + "\"): " + why);
    };
    std::size_t start = 0;
    while (true) {
        std::size_t comma = text.find(',', start);
        std::string_view item = text.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        std::string_view range = item;
        int step = 1;
        std::size_t slash = item.find('/');
        if (slash != std::string_view::npos) {
            range = item.substr(0, slash);
            std::string_view step_text = item.substr(slash + 1);
            if (step_text.empty() ||
                step_text.find_first_not_of("0123456789") != std::string_view::npos ||
                step_text.size() > 3) {
                bad("the step \"" + std::string(step_text) + "\" is not a number");
            }
            step = std::stoi(std::string(step_text));
            if (step <= 0) {
                bad("the step must be at least 1");
            }
        }
        int first;
        int last;
        if (range == "*") {
            first = field.low;
            last = field.high;
        } else {
            std::size_t dash = range.find('-');
            if (dash == std::string_view::npos) {
                if (slash != std::string_view::npos) {
                    bad("a step needs a range or '*' (as \"*/" + std::to_string(step) + "\")");
                }
                first = last = value(field, range, text);
            } else {
                first = value(field, range.substr(0, dash), text);
                last = value(field, range.substr(dash + 1), text);
                if (first > last) {
                    bad("the range " + std::string(range) + " is backwards");
                }
            }
        }
        for (int v = first; v <= last; v += step) {
            bits[static_cast<std::size_t>(v - field.low)] = true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return bits;
}

template <std::size_t N>
void assign(std::bitset<N> &out, const std::vector<bool> &bits, int low) {
    for (std::size_t i = 0; i < bits.size(); ++i) {
        if (bits[i]) {
            out.set(static_cast<std::size_t>(low) + i);
        }
    }
}

Schedule from_fields(const std::string_view (&fields)[5]) {
    Schedule s;
    assign(s.minutes, parse_field(kFields[0], fields[0]), 0);
    assign(s.hours, parse_field(kFields[1], fields[1]), 0);
    assign(s.days, parse_field(kFields[2], fields[2]), 1);
    assign(s.months, parse_field(kFields[3], fields[3]), 1);
    std::vector<bool> weekdays = parse_field(kFields[4], fields[4]);
    for (std::size_t i = 0; i < weekdays.size(); ++i) {
        if (weekdays[i]) {
            s.weekdays.set(i % 7);  // 7 is Sunday
        }
    }
    s.day_star = fields[2].front() == '*';
    s.weekday_star = fields[4].front() == '*';
    return s;
}

// Days since 1970-01-01 → civil date (proleptic Gregorian).
void civil(std::int64_t days, int &year, int &month, int &day) {
    days += 719468;
    std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    std::int64_t doe = days - era * 146097;
    std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    std::int64_t mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

bool day_fires(const Schedule &s, std::int64_t days) {
    int year, month, day;
    civil(days, year, month, day);
    int weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
    if (!s.months.test(static_cast<std::size_t>(month))) {
        return false;
    }
    bool dom = s.days.test(static_cast<std::size_t>(day));
    bool dow = s.weekdays.test(static_cast<std::size_t>(weekday));
    return (s.day_star || s.weekday_star) ? (dom && dow) : (dom || dow);
}

// The @aliases and the five fields they mean (vixie cron's, which pg_cron reads).
const std::pair<const char *, const char *> kAliases[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"}};

}  // namespace

std::string pg_cron_form(std::string_view text) {
    parse(text);
    std::size_t start = text.find_first_not_of(" \t");
    std::size_t end = text.find_last_not_of(" \t");
    std::string_view trimmed = text.substr(start, end - start + 1);
    for (const auto &[alias, meaning] : kAliases) {
        if (trimmed == alias) {
            return meaning;
        }
    }
    return std::string(text);
}

Schedule parse(std::string_view text) {
    if (text.empty()) {
        refuse("it is empty");
    }
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
            ++i;
        }
        if (i > start) {
            parts.push_back(text.substr(start, i - start));
        }
    }
    Schedule s;
    if (parts.size() == 1 && parts[0].front() == '@') {
        static const std::pair<const char *, const char *> kAliases[] = {
            {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
            {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
            {"@hourly", "0 * * * *"}};
        for (const auto &[alias, meaning] : kAliases) {
            if (parts[0] == alias) {
                return parse(meaning);
            }
        }
        refuse("\"" + std::string(parts[0]) +
               "\" is not one of @yearly, @annually, @monthly, "
               "@weekly, @daily, @midnight, @hourly");
    }
    if (parts.size() != 5) {
        refuse("it has " + std::to_string(parts.size()) + " field" +
               (parts.size() == 1 ? "" : "s") + ", not 5");
    }
    const std::string_view fields[5] = {parts[0], parts[1], parts[2], parts[3], parts[4]};
    s = from_fields(fields);
    if (next(s, 0, 1).empty()) {
        refuse("it never fires (no month has that day)");
    }
    return s;
}

bool fires_at(const Schedule &s, std::int64_t epoch_seconds) {
    std::int64_t days = floor_div(epoch_seconds, kDay);
    std::int64_t minute_of_day = floor_div(epoch_seconds - days * kDay, kMinute);
    return day_fires(s, days) && s.hours.test(static_cast<std::size_t>(minute_of_day / 60)) &&
           s.minutes.test(static_cast<std::size_t>(minute_of_day % 60));
}

std::vector<std::int64_t> next(const Schedule &s, std::int64_t after, int n) {
    std::vector<std::int64_t> out;
    std::int64_t from = floor_div(after, kMinute) * kMinute + kMinute;  // the next whole minute
    std::int64_t first_day = floor_div(from, kDay);
    for (std::int64_t d = first_day;
         d < first_day + kHorizonDays && static_cast<int>(out.size()) < n; ++d) {
        if (!day_fires(s, d)) {
            continue;
        }
        for (int hour = 0; hour < 24 && static_cast<int>(out.size()) < n; ++hour) {
            if (!s.hours.test(static_cast<std::size_t>(hour))) {
                continue;
            }
            for (int minute = 0; minute < 60 && static_cast<int>(out.size()) < n; ++minute) {
                std::int64_t t = d * kDay + hour * 3600 + minute * kMinute;
                if (t >= from && s.minutes.test(static_cast<std::size_t>(minute))) {
                    out.push_back(t);
                }
            }
        }
    }
    return out;
}

}  // namespace syncmaster::core::cron
