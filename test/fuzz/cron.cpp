// core::cron: schedules as users write them, pg_cron's form of them, and their fire times.
#include "transfer/cron.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace syncmaster;
    fuzz::refusals_allowed([&] {
        std::string_view text = fuzz::text(data, size);
        core::cron::Schedule schedule = core::cron::parse(text);
        core::cron::pg_cron_form(text);
        std::int64_t after = 1767225600;  // 2026-01-01 00:00 UTC
        for (std::int64_t t : core::cron::next(schedule, after, 3)) {
            if (t <= after || !core::cron::fires_at(schedule, t)) {
                __builtin_trap();  // a fire time must come later and match the schedule
            }
            after = t;
        }
    });
    return 0;
}
