// core::run_state: statuses as text and every transition between two of them.
#include "run/state.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace syncmaster;
    namespace rs = core::run_state;
    auto parts = fuzz::halves(fuzz::text(data, size));
    std::string_view from_text = parts.first;
    std::string_view to_text = parts.second;
    fuzz::refusals_allowed([&] {
        rs::Status from = rs::require(from_text);
        rs::Status to = rs::require(to_text);
        rs::name(from);
        rs::is_terminal(to);
        bool allowed = rs::allowed(from, to);
        rs::stamps(from, to);
        try {
            rs::check(7, from, to);
            if (!allowed) {
                __builtin_trap();  // check() let through a transition allowed() refuses
            }
        } catch (const core::Error &) {
            if (allowed) {
                __builtin_trap();
            }
        }
        rs::stop(7, from);
    });
    return 0;
}
