#include "queue/names.hpp"

#include "core/error.hpp"

namespace syncmaster::core::names {

void check_queue_name(std::string_view name) {
    for (char c : name) {
        if (c < ' ' || c > '~') {
            throw Error(sqlstate::kInvalidInput,
                        "queue name must be printable ASCII (from space to ~)");
        }
    }
}

std::string queue_short_name(std::string_view name) {
    std::string out;
    bool pending_separator = false;
    for (char c : name) {
        char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
        if (!keep) {
            pending_separator = true;
            continue;
        }
        if (pending_separator && !out.empty()) {
            out += '_';
        }
        pending_separator = false;
        out += lower;
    }
    return out;
}

std::string queue_slug(std::int64_t group_id, std::string_view name) {
    return std::to_string(group_id) + "-" + queue_short_name(name);
}

}  // namespace syncmaster::core::names
