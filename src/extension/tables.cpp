#include "extension/tables.hpp"

#include "connection/rules.hpp"
#include "core/error.hpp"
#include "group/rules.hpp"
#include "membership/rules.hpp"
#include "queue/rules.hpp"
#include "run/rules.hpp"
#include "transfer/rules.hpp"
#include "user/rules.hpp"

namespace syncmaster::extension {

using core::columns::table;
using core::columns::Table;

const std::vector<Table> &tables() {
    static const std::vector<Table> all = {
        table("user", core::user::kColumns),
        table("group", core::group::kColumns),
        table("user_group", core::membership::kColumns),
        table("connection", core::connection::kColumns),
        table("auth_data", core::connection::kAuthDataColumns),
        table("credential_access", core::connection::kCredentialAccessColumns),
        table("queue", core::queue::kColumns),
        table("transfer", core::transfer::kColumns),
        table("run", core::run::kColumns),
        table("user_total", core::user::kTotalColumns),
        table("run_total", core::run::kTotalColumns),
    };
    return all;
}

const core::search::Searchable &searchable(const std::string &entity) {
    if (entity == "group") {
        return core::group::kSearchable;
    }
    if (entity == "queue") {
        return core::queue::kSearchable;
    }
    if (entity == "connection") {
        return core::connection::kSearchable;
    }
    if (entity == "transfer") {
        return core::transfer::kSearchable;
    }
    throw core::Error(core::sqlstate::kTriggerProtocol,
                      "syncmaster.search_vector: unknown entity \"" + entity + "\"",
                      "Use group, queue, connection or transfer.");
}

}  // namespace syncmaster::extension
