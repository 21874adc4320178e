// core::search: the tsquery text built from what a user types.
#include "core/search.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace syncmaster;
    fuzz::refusals_allowed([&] {
        core::search::split_separators(fuzz::text(data, size));
        core::search::tsquery_text(fuzz::text(data, size));
    });
    return 0;
}
