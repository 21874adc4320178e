#include "core/in_use.hpp"

#include "core/error.hpp"

#include <string>
#include <utility>

namespace syncmaster::core::in_use {

void check_connection_deletable(std::int64_t transfers) {
    if (transfers > 0) {
        throw Error(sqlstate::kInUse,
                    "The connection has an associated transfers. Number of the connected "
                    "transfers: " +
                        std::to_string(transfers));
    }
}

void check_connection_type_change(std::int64_t transfers) {
    if (transfers > 0) {
        throw Error(sqlstate::kInUse,
                    "You cannot update the connection type of a connection already associated "
                    "with a transfer.");
    }
}

void check_queue_deletable(std::int64_t transfers) {
    if (transfers > 0) {
        throw Error(sqlstate::kInUse,
                    "The queue has an associated transfers(s). Number of the linked transfers: " +
                        std::to_string(transfers));
    }
}

void name_taken(std::string_view entity, const Constraint &constraint, std::string detail) {
    throw Error(constraint, sqlstate::kDuplicate,
                "The " + std::string(entity) +
                    " name already exists in the target group, please "
                    "specify a new one",
                std::move(detail));
}

}  // namespace syncmaster::core::in_use
