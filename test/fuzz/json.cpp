// core::json: strict parsing with exact numbers, and the two printers.
#include "core/json.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace syncmaster;
    fuzz::refusals_allowed([&] {
        core::json::Json value = core::json::parse(fuzz::text(data, size), "fuzz");
        std::string jsonb = core::json::jsonb_text(value);
        core::json::text(value, core::json::KeyOrder::kBytewise);
        // What jsonb_text prints parses back to the same value.
        if (core::json::parse(jsonb, "fuzz") != value) {
            __builtin_trap();
        }
    });
    return 0;
}
