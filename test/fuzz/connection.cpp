// core::connection_types: a connection's data per type, and its credentials. The first byte picks
// the type; the rest is the data's JSON, then (after a NUL) the credentials' JSON.
#include "connection/types.hpp"
#include "core/json.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace syncmaster;
    namespace ct = core::connection_types;
    if (size == 0) {
        return 0;
    }
    const std::string &type = ct::all_types()[data[0] % ct::all_types().size()];
    auto parts = fuzz::halves(fuzz::text(data + 1, size - 1));
    std::string_view data_text = parts.first;
    std::string_view auth_text = parts.second;
    fuzz::refusals_allowed([&] {
        ct::Json normalized = ct::normalize_data(type, core::json::parse(data_text, "data"));
        ct::python_dumps(normalized);
        if (!auth_text.empty()) {
            ct::Json auth = ct::normalize_auth(type, normalized,
                                               core::json::parse(auth_text, "auth_data"), nullptr);
            ct::public_auth(auth);
            ct::python_dumps(auth);
            // Written again with everything left out: the previous secrets are kept.
            ct::normalize_auth(type, normalized, ct::Json::object({{"type", auth["type"]}}), auth);
        }
    });
    return 0;
}
