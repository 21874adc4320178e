// The permission trigger (DESIGN §7.1): one C++ function attached BEFORE INSERT/UPDATE/DELETE to
// "user", "group", user_group, connection, queue, transfer and run, with the entity as its
// argument. It resolves the acting user and its standing in the row's group and refuses with the
// exact error of DESIGN §6 before anything changes. The rules are core::permissions'; this file
// only reads rows and asks.
//
// Also here: the AFTER UPDATE trigger that keeps "the owner is never a member row" when a group
// changes owner, and the internal writes it makes.
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/identity.hpp"
#include "core/permissions.hpp"

#include <cstring>
#include <optional>
#include <string>

#include "pg/entry.hpp"
#include "pg/identity.hpp"
#include "pg/relations.hpp"
#include "pg/spi.hpp"
#include "pg/standing.hpp"
#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

namespace {

namespace perm = core::permissions;
using core::identity::Actor;
using perm::Action;
using perm::Entity;

// Writes the extension makes itself (the owner-change bookkeeping) pass the guard: they follow
// from a change the guard has already allowed. The count is raised only by InternalWrites, whose
// destructor lowers it also when a PostgreSQL error unwinds the C++ frames; a transaction callback
// clears it at every transaction end as a second line.
int internal_writes = 0;
bool callback_registered = false;

void reset_internal_writes(XactEvent event, void *) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_COMMIT ||
        event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PARALLEL_COMMIT) {
        internal_writes = 0;
    }
}

class InternalWrites {
public:
    InternalWrites() { ++internal_writes; }
    InternalWrites(const InternalWrites &) = delete;
    InternalWrites &operator=(const InternalWrites &) = delete;
    ~InternalWrites() { --internal_writes; }
};

// Column values of a trigger tuple, read in PostgreSQL regime.
int64 int8_column(const TriggerData *trigger, HeapTuple tuple, const char *name) {
    return pg_call([trigger, tuple, name]() {
        bool isnull;
        Datum d = heap_getattr(tuple, trigger_column(trigger, name),
                               RelationGetDescr(trigger->tg_relation), &isnull);
        return isnull ? int64(0) : DatumGetInt64(d);
    });
}

std::string text_column(const TriggerData *trigger, HeapTuple tuple, const char *name) {
    const char *value = pg_call([trigger, tuple, name]() {
        bool isnull;
        Datum d = heap_getattr(tuple, trigger_column(trigger, name),
                               RelationGetDescr(trigger->tg_relation), &isnull);
        return isnull ? "" : static_cast<const char *>(TextDatumGetCString(d));
    });
    return value;
}

// A text column that may be NULL (nullopt), for the checks that say "is required".
std::optional<std::string> nullable_text_column(const TriggerData *trigger, HeapTuple tuple,
                                                const char *name) {
    const char *value = pg_call([trigger, tuple, name]() -> const char * {
        bool isnull;
        Datum d = heap_getattr(tuple, trigger_column(trigger, name),
                               RelationGetDescr(trigger->tg_relation), &isnull);
        return isnull ? nullptr : static_cast<const char *>(TextDatumGetCString(d));
    });
    if (value == nullptr) {
        return std::nullopt;
    }
    return std::string(value);
}

bool bool_column(const TriggerData *trigger, HeapTuple tuple, const char *name) {
    return pg_call([trigger, tuple, name]() {
        bool isnull;
        Datum d = heap_getattr(tuple, trigger_column(trigger, name),
                               RelationGetDescr(trigger->tg_relation), &isnull);
        return !isnull && DatumGetBool(d);
    });
}

SPIPlanPtr lock_group_plan = nullptr;
SPIPlanPtr drop_member_plan = nullptr;
SPIPlanPtr add_guest_plan = nullptr;

// Locks the group row FOR SHARE and returns its owner (latest committed version): an owner change
// of the same group waits for this transaction, or this one sees its result.
struct LockedGroup {
    bool found;
    int64 owner_id;
};

LockedGroup lock_group(int64 group_id) {
    return as_table_owner([group_id]() {
        Oid types[1] = {INT8OID};
        SPIPlanPtr plan = kept_plan(&lock_group_plan,
                                    "SELECT owner_id FROM syncmaster.\"group\" "
                                    "WHERE id OPERATOR(pg_catalog.=) $1 FOR SHARE",
                                    1, types);
        Datum values[1] = {Int64GetDatum(group_id)};
        if (SPI_execute_plan(plan, values, nullptr, false, 1) != SPI_OK_SELECT) {
            elog(ERROR, "locking group " INT64_FORMAT " failed", group_id);
        }
        LockedGroup locked{false, 0};
        if (SPI_processed == 1) {
            bool isnull;
            locked.found = true;
            locked.owner_id = DatumGetInt64(
                SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
        }
        return locked;
    });
}

// A membership row is about to exist for (user_id, group_id): the user must exist, must not own
// the group, and must not be a member already.
void check_new_membership(int64 user_id, int64 group_id) {
    if (!user_exists(user_id)) {
        throw core::Error(core::sqlstate::kNotFound, "User not found");
    }
    LockedGroup group = lock_group(group_id);
    if (!group.found) {
        throw core::Error(core::sqlstate::kNotFound, "Group not found");
    }
    if (group.owner_id == user_id) {
        throw core::Error(core::sqlstate::kDuplicate, "User already is group owner");
    }
    if (member_role(user_id, group_id)) {
        throw core::Error(core::sqlstate::kDuplicate, "User already is group member");
    }
}

void guard_user(const Actor &actor, const TriggerData *trigger, RowEvent event) {
    auto read = [trigger](HeapTuple tuple) {
        // A NULL username reads as "": check_username refuses both as "username is required".
        return perm::UserRow{
            int8_column(trigger, tuple, "id"), text_column(trigger, tuple, "username"),
            bool_column(trigger, tuple, "is_superuser"), bool_column(trigger, tuple, "is_active")};
    };
    auto check_username_free = [](const std::string &username, int64 own_id) {
        auto taken = find_user_by_username(username);
        if (taken && taken->id != own_id) {
            throw core::Error(core::sqlstate::kDuplicate, "Username is already taken");
        }
    };
    auto check_username = [](const std::string &username) {
        core::fields::check_username(username, role_named(username));
    };
    switch (event) {
        case RowEvent::kInsert: {
            perm::check_user_insert(actor);
            perm::UserRow row = read(trigger->tg_trigtuple);
            check_username(row.username);
            check_username_free(row.username, row.id);
            break;
        }
        case RowEvent::kUpdate: {
            perm::UserRow old_row = read(trigger->tg_trigtuple);
            perm::UserRow new_row = read(trigger->tg_newtuple);
            perm::check_user_update(actor, old_row, new_row);
            if (new_row.username != old_row.username) {
                check_username(new_row.username);
                check_username_free(new_row.username, new_row.id);
            }
            break;
        }
        case RowEvent::kDelete: {
            perm::check_user_delete(actor);
            perm::UserRow row = read(trigger->tg_trigtuple);
            perm::check_user_owns_no_groups(row.username, groups_owned_by(row.id));
            break;
        }
    }
}

void guard_group(const Actor &actor, const TriggerData *trigger, RowEvent event) {
    auto check_name_free = [](const std::string &name, int64 own_id) {
        auto taken = group_named(name);
        if (taken && *taken != own_id) {
            throw core::Error(core::sqlstate::kDuplicate, "Group name already taken");
        }
    };
    auto check_owner_exists = [](int64 owner_id) {
        if (!user_exists(owner_id)) {
            throw core::Error(core::sqlstate::kNotFound, "User not found");
        }
    };
    switch (event) {
        case RowEvent::kInsert: {
            HeapTuple row = trigger->tg_trigtuple;
            int64 owner_id = int8_column(trigger, row, "owner_id");
            perm::check_group_owner_on_create(actor, owner_id);
            std::optional<std::string> name = nullable_text_column(trigger, row, "name");
            core::fields::check("group", "name", name);
            check_owner_exists(owner_id);
            check_name_free(*name, int8_column(trigger, row, "id"));
            break;
        }
        case RowEvent::kUpdate: {
            HeapTuple old_row = trigger->tg_trigtuple, new_row = trigger->tg_newtuple;
            int64 id = int8_column(trigger, old_row, "id");
            perm::authorize(actor, Entity::kGroup, Action::kUpdate, standing_in_group(actor, id));
            std::optional<std::string> name = nullable_text_column(trigger, new_row, "name");
            if (name != nullable_text_column(trigger, old_row, "name")) {
                core::fields::check("group", "name", name);
                check_name_free(*name, id);
            }
            int64 owner_id = int8_column(trigger, new_row, "owner_id");
            if (owner_id != int8_column(trigger, old_row, "owner_id")) {
                check_owner_exists(owner_id);
            }
            break;
        }
        case RowEvent::kDelete: {
            int64 id = int8_column(trigger, trigger->tg_trigtuple, "id");
            perm::authorize(actor, Entity::kGroup, Action::kDelete, standing_in_group(actor, id));
            break;
        }
    }
}

void guard_membership(const Actor &actor, const TriggerData *trigger, RowEvent event) {
    HeapTuple old_row = trigger->tg_trigtuple;
    switch (event) {
        case RowEvent::kInsert: {
            perm::require_role(text_column(trigger, old_row, "role"));
            int64 group_id = int8_column(trigger, old_row, "group_id");
            int64 user_id = int8_column(trigger, old_row, "user_id");
            perm::authorize(actor, Entity::kMembership, Action::kCreate,
                            standing_in_group(actor, group_id));
            check_new_membership(user_id, group_id);
            break;
        }
        case RowEvent::kUpdate: {
            HeapTuple new_row = trigger->tg_newtuple;
            perm::require_role(text_column(trigger, new_row, "role"));
            int64 old_group = int8_column(trigger, old_row, "group_id");
            int64 new_group = int8_column(trigger, new_row, "group_id");
            int64 old_user = int8_column(trigger, old_row, "user_id");
            int64 new_user = int8_column(trigger, new_row, "user_id");
            perm::authorize(actor, Entity::kMembership, Action::kUpdate,
                            standing_in_group(actor, old_group));
            if (new_group != old_group || new_user != old_user) {
                // A row moved to another group or user is checked as a new membership there.
                if (new_group != old_group) {
                    perm::authorize(actor, Entity::kMembership, Action::kCreate,
                                    standing_in_group(actor, new_group));
                }
                check_new_membership(new_user, new_group);
            }
            break;
        }
        case RowEvent::kDelete: {
            int64 group_id = int8_column(trigger, old_row, "group_id");
            bool self = !actor.system && int8_column(trigger, old_row, "user_id") == actor.user_id;
            perm::Standing standing = standing_in_group(actor, group_id);
            if (cascaded(standing)) {
                break;
            }
            perm::authorize(actor, Entity::kMembership, Action::kDelete, standing, self);
            break;
        }
    }
}

// The group a connection, queue, transfer or run row belongs to; nullopt when a run's transfer
// does not exist.
std::optional<int64> group_of_row(Entity entity, const TriggerData *trigger, HeapTuple tuple) {
    if (entity == Entity::kRun) {
        return group_of_transfer(int8_column(trigger, tuple, "transfer_id"));
    }
    return int8_column(trigger, tuple, "group_id");
}

core::permissions::Standing standing_of_row(const Actor &actor, Entity entity,
                                            const TriggerData *trigger, HeapTuple tuple) {
    std::optional<int64> group = group_of_row(entity, trigger, tuple);
    return group ? standing_in_group(actor, *group) : core::permissions::Standing{};
}

void guard_resource(Entity entity, const Actor &actor, const TriggerData *trigger, RowEvent event) {
    switch (event) {
        case RowEvent::kInsert:
            perm::authorize(actor, entity, Action::kCreate,
                            standing_of_row(actor, entity, trigger, trigger->tg_trigtuple));
            break;
        case RowEvent::kUpdate: {
            std::optional<int64> old_group = group_of_row(entity, trigger, trigger->tg_trigtuple);
            std::optional<int64> new_group = group_of_row(entity, trigger, trigger->tg_newtuple);
            perm::authorize(
                actor, entity, Action::kUpdate,
                old_group ? standing_in_group(actor, *old_group) : core::permissions::Standing{});
            // Moving a row to another group needs the right to create it there too.
            if (new_group != old_group) {
                perm::authorize(actor, entity, Action::kCreate,
                                new_group ? standing_in_group(actor, *new_group)
                                          : core::permissions::Standing{});
            }
            break;
        }
        case RowEvent::kDelete: {
            perm::Standing standing =
                standing_of_row(actor, entity, trigger, trigger->tg_trigtuple);
            if (cascaded(standing)) {
                break;
            }
            perm::authorize(actor, entity, Action::kDelete, standing);
            break;
        }
    }
}

// Writes to the tables identity and standings are read from make every backend forget its cached
// lookups (relations.hpp): any write to "user", "group" or user_group, and a transfer that changes
// group or goes. Invalidations are transactional: a refused or rolled-back write sends none.
void forget_lookups_after(const char *entity, const TriggerData *trigger, RowEvent event) {
    std::string e(entity);
    bool forget = e == "user" || e == "group" || e == "membership";
    if (e == "transfer") {
        forget = event == RowEvent::kDelete ||
                 (event == RowEvent::kUpdate &&
                  int8_column(trigger, trigger->tg_trigtuple, "group_id") !=
                      int8_column(trigger, trigger->tg_newtuple, "group_id"));
    }
    if (forget) {
        pg_call([trigger]() { invalidate_lookups(RelationGetRelid(trigger->tg_relation)); });
    }
}

}  // namespace
}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW, with one argument: user, group, membership,
// connection, queue, transfer or run.
SYNCMASTER_FUNCTION(syncmaster_guard) {
    struct Fired {
        TriggerData *trigger;
        const char *entity;
    };
    Fired fired = pg::pg_call([fcinfo]() {
        TriggerData *trigger = pg::before_row_trigger(fcinfo, "syncmaster.guard");
        if (trigger->tg_trigger->tgnargs != 1) {
            ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                            errmsg("syncmaster.guard takes one argument: the entity")));
        }
        if (!pg::callback_registered) {
            RegisterXactCallback(pg::reset_internal_writes, nullptr);
            pg::callback_registered = true;
        }
        return Fired{trigger, trigger->tg_trigger->tgargs[0]};
    });
    TriggerData *trigger = fired.trigger;
    pg::RowEvent event = pg::row_event(trigger);
    Datum result = PointerGetDatum(event == pg::RowEvent::kUpdate ? trigger->tg_newtuple
                                                                  : trigger->tg_trigtuple);
    if (pg::internal_writes > 0) {
        return result;
    }
    core::identity::Actor actor = pg::current_actor().actor;
    pg::forget_lookups_after(fired.entity, trigger, event);
    if (std::strcmp(fired.entity, "user") == 0) {
        pg::guard_user(actor, trigger, event);
        return result;
    }
    auto entity = core::permissions::parse_entity(fired.entity);
    if (!entity) {
        throw core::Error("39P01",
                          std::string("syncmaster.guard: unknown entity \"") + fired.entity + "\"");
    }
    switch (*entity) {
        case core::permissions::Entity::kGroup:
            pg::guard_group(actor, trigger, event);
            break;
        case core::permissions::Entity::kMembership:
            pg::guard_membership(actor, trigger, event);
            break;
        default:
            pg::guard_resource(*entity, actor, trigger, event);
            break;
    }
    return result;
}

// AFTER UPDATE OF owner_id ON "group": the new owner's member row goes (the owner is never a
// member row) and the previous owner stays on as a Guest.
SYNCMASTER_FUNCTION(syncmaster_group_owner_changed) {
    TriggerData *trigger = pg::pg_call([fcinfo]() {
        if (!CALLED_AS_TRIGGER(fcinfo)) {
            ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                            errmsg("syncmaster.group_owner_changed must be called as a trigger")));
        }
        auto *t = reinterpret_cast<TriggerData *>(fcinfo->context);
        if (!TRIGGER_FIRED_AFTER(t->tg_event) || !TRIGGER_FIRED_FOR_ROW(t->tg_event) ||
            !TRIGGER_FIRED_BY_UPDATE(t->tg_event)) {
            ereport(ERROR,
                    (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                     errmsg("syncmaster.group_owner_changed must be fired AFTER UPDATE, FOR EACH "
                            "ROW")));
        }
        return t;
    });
    int64 group_id = pg::int8_column(trigger, trigger->tg_newtuple, "id");
    int64 old_owner = pg::int8_column(trigger, trigger->tg_trigtuple, "owner_id");
    int64 new_owner = pg::int8_column(trigger, trigger->tg_newtuple, "owner_id");
    if (old_owner == new_owner) {
        return PointerGetDatum(nullptr);
    }
    pg::InternalWrites internal;
    pg::as_table_owner([group_id, old_owner, new_owner]() {
        Oid types[2] = {INT8OID, INT8OID};
        SPIPlanPtr drop = pg::kept_plan(&pg::drop_member_plan,
                                        "DELETE FROM syncmaster.user_group "
                                        "WHERE user_id OPERATOR(pg_catalog.=) $1 "
                                        "AND group_id OPERATOR(pg_catalog.=) $2",
                                        2, types);
        SPIPlanPtr add =
            pg::kept_plan(&pg::add_guest_plan,
                          "INSERT INTO syncmaster.user_group (user_id, group_id, role) "
                          "VALUES ($1, $2, 'Guest') ON CONFLICT DO NOTHING",
                          2, types);
        Datum drop_values[2] = {Int64GetDatum(new_owner), Int64GetDatum(group_id)};
        if (SPI_execute_plan(drop, drop_values, nullptr, false, 0) != SPI_OK_DELETE) {
            elog(ERROR, "removing the new owner's membership failed");
        }
        Datum add_values[2] = {Int64GetDatum(old_owner), Int64GetDatum(group_id)};
        if (SPI_execute_plan(add, add_values, nullptr, false, 0) != SPI_OK_INSERT) {
            elog(ERROR, "adding the previous owner as a Guest failed");
        }
        return 0;
    });
    return PointerGetDatum(nullptr);
}
