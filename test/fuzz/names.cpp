// core::names and core::fields: queue names and slugs, the bounds of every text field, usernames.
#include "core/fields.hpp"
#include "queue/names.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace syncmaster;
    std::string_view text = fuzz::text(data, size);
    fuzz::refusals_allowed([&] {
        core::names::check_queue_name(text);
        core::names::queue_short_name(text);
        core::names::queue_slug(static_cast<std::int64_t>(size) - 3, text);
    });
    static const char *const kFields[][2] = {
        {"user", "username"},   {"user", "email"},      {"group", "name"}, {"group", "description"},
        {"connection", "name"}, {"connection", "type"}, {"queue", "name"}, {"transfer", "name"},
        {"membership", "role"}, {"list", "search"},     {"run", "worker"}, {"run", "log_url"},
    };
    for (const auto &f : kFields) {
        fuzz::refusals_allowed([&] { core::fields::check(f[0], f[1], text); });
    }
    fuzz::refusals_allowed([&] {
        core::fields::check_username(text, core::fields::RoleNamed{size % 2 == 0, size % 3 == 0});
    });
    core::fields::characters(text);
    return 0;
}
