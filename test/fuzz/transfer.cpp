// core::transfer_params: params of either side, strategy, transformations (the sql check
// included) and resources. The first byte picks what the JSON that follows is.
#include "connection/types.hpp"
#include "core/json.hpp"
#include "transfer/params.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace syncmaster;
    namespace tp = core::transfer_params;
    if (size == 0) {
        return 0;
    }
    std::uint8_t pick = data[0];
    std::string_view rest = fuzz::text(data + 1, size - 1);
    fuzz::refusals_allowed([&] {
        core::json::Json value = core::json::parse(rest, "fuzz");
        switch (pick % 5) {
            case 0:
                tp::normalize_params(tp::Side::kSource, value);
                break;
            case 1:
                tp::normalize_params(tp::Side::kTarget, value);
                break;
            case 2: {
                const auto &types = core::connection_types::all_types();
                tp::normalize_strategy(value, types[(pick / 5) % types.size()]);
                break;
            }
            case 3:
                tp::normalize_transformations(value);
                break;
            default:
                tp::byte_size(tp::normalize_resources(value)["ram_bytes_per_task"], "ram");
                break;
        }
    });
    return 0;
}
