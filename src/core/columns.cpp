#include "core/columns.hpp"

#include "core/error.hpp"

namespace syncmaster::core::columns {

InsertVerdict on_insert(const Column &column, const identity::Actor &actor) {
    if (column.on_insert != OnInsert::kStamped || actor.system) {
        return InsertVerdict::kKeep;
    }
    switch (column.stamp) {
        case Stamp::kNow:
            return InsertVerdict::kNow;
        case Stamp::kNull:
            return InsertVerdict::kNull;
        case Stamp::kComputed:
            break;
    }
    return InsertVerdict::kKeep;
}

void check_required(const Column &column, bool is_null) {
    if (column.required && is_null) {
        throw Error(sqlstate::kInvalidInput, std::string(column.name) + " is required");
    }
}

UpdateVerdict on_update(const Table &table, const Column &column, const identity::Actor &actor,
                        bool changed) {
    if (!changed) {
        return UpdateVerdict::kKeep;
    }
    std::string qualified = std::string(table.name) + "." + column.name;
    switch (column.on_update) {
        case OnUpdate::kUser:
            return UpdateVerdict::kKeep;
        case OnUpdate::kAdmin:
            if (!actor.is_superuser) {
                forbidden("Changing " + qualified + " needs a superuser.");
            }
            return UpdateVerdict::kKeep;
        case OnUpdate::kSystem:
            if (!actor.system) {
                forbidden("Only the system (a worker) changes " + qualified + ".");
            }
            return UpdateVerdict::kKeep;
        case OnUpdate::kStamped:
            return actor.system ? UpdateVerdict::kKeep : UpdateVerdict::kRestore;
        case OnUpdate::kMoved:
            if (actor.system) {
                return UpdateVerdict::kKeep;
            }
            break;
        case OnUpdate::kImmutable:
            break;
    }
    throw Error(sqlstate::kInvalidInput,
                column.refusal != nullptr ? column.refusal : qualified + " cannot change",
                std::string(), column.hint != nullptr ? column.hint : std::string());
}

const char *name(OnInsert right) {
    switch (right) {
        case OnInsert::kUser:
            return "user";
        case OnInsert::kStamped:
            return "stamped";
        case OnInsert::kKey:
            return "key";
    }
    return "";
}

const char *name(OnUpdate right) {
    switch (right) {
        case OnUpdate::kUser:
            return "user";
        case OnUpdate::kAdmin:
            return "superuser";
        case OnUpdate::kSystem:
            return "system";
        case OnUpdate::kStamped:
            return "stamped";
        case OnUpdate::kImmutable:
            return "immutable";
        case OnUpdate::kMoved:
            return "moved";
    }
    return "";
}

}  // namespace syncmaster::core::columns
