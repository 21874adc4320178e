#include "core/permissions.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace identity = syncmaster::core::identity;
namespace permissions = syncmaster::core::permissions;
using permissions::Action;
using permissions::Entity;
using permissions::Level;
using permissions::Role;
using syncmaster::core::Error;

namespace {

// The actors of the matrix, each with its standing in group 7 (which exists).
struct Case {
    identity::Actor actor;
    permissions::Standing standing;
};

const identity::Actor kSystem = identity::Actor::make_system();
const identity::Actor kSuperuser{false, 1, true};
const identity::Actor kUser{false, 2, false};

std::map<std::string, Case> actors() {
    return {
        {"system", {kSystem, {true, false, std::nullopt}}},
        {"superuser", {kSuperuser, {true, false, std::nullopt}}},
        {"owner", {kUser, {true, true, std::nullopt}}},
        {"maintainer", {kUser, {true, false, Role::kMaintainer}}},
        {"developer", {kUser, {true, false, Role::kDeveloper}}},
        {"guest", {kUser, {true, false, Role::kGuest}}},
        {"non-member", {kUser, {true, false, std::nullopt}}},
    };
}

// What authorize() answers: "ok", or the SQLSTATE and message it threw.
std::string outcome(const Case &c, Entity entity, Action action, bool self = false) {
    try {
        permissions::authorize(c.actor, entity, action, c.standing, self);
        return "ok";
    } catch (const Error &e) {
        return e.sqlstate() + " " + e.message();
    }
}

const std::string kOk = "ok";
const std::string kForbidden = "42501 You have no power here";

// One row of the permission table (README): the expected outcome for each actor, in the order of kActorOrder.
const std::vector<std::string> kActorOrder = {"system",    "superuser", "owner",     "maintainer",
                                              "developer", "guest",     "non-member"};

void expect_row(Entity entity, Action action, const std::vector<std::string> &expected,
                bool self = false) {
    auto all = actors();
    ASSERT_EQ(expected.size(), kActorOrder.size());
    for (std::size_t i = 0; i < kActorOrder.size(); ++i) {
        EXPECT_EQ(outcome(all.at(kActorOrder[i]), entity, action, self), expected[i])
            << "actor " << kActorOrder[i];
    }
}

}  // namespace

TEST(PermissionMatrix, Group) {
    const std::string nf = "P0002 Group not found";
    expect_row(Entity::kGroup, Action::kRead, {kOk, kOk, kOk, kOk, kOk, kOk, nf});
    expect_row(Entity::kGroup, Action::kUpdate,
               {kOk, kOk, kOk, kForbidden, kForbidden, kForbidden, nf});
    expect_row(Entity::kGroup, Action::kDelete,
               {kOk, kOk, kForbidden, kForbidden, kForbidden, kForbidden, kForbidden});
}

TEST(PermissionMatrix, Membership) {
    const std::string nf = "P0002 Group not found";
    expect_row(Entity::kMembership, Action::kRead, {kOk, kOk, kOk, kOk, kOk, kOk, nf});
    for (Action a : {Action::kCreate, Action::kUpdate, Action::kDelete}) {
        expect_row(Entity::kMembership, a, {kOk, kOk, kOk, kForbidden, kForbidden, kForbidden, nf});
    }
    // Leaving: any member may remove its own row.
    expect_row(Entity::kMembership, Action::kDelete, {kOk, kOk, kOk, kOk, kOk, kOk, nf}, true);
}

TEST(PermissionMatrix, Connection) {
    const std::string nf = "P0002 Connection not found";
    const std::string gnf = "P0002 Group not found";
    expect_row(Entity::kConnection, Action::kRead, {kOk, kOk, kOk, kOk, kOk, kOk, nf});
    expect_row(Entity::kConnection, Action::kCreate, {kOk, kOk, kOk, kOk, kOk, kForbidden, gnf});
    expect_row(Entity::kConnection, Action::kUpdate, {kOk, kOk, kOk, kOk, kOk, kForbidden, nf});
    expect_row(Entity::kConnection, Action::kDelete,
               {kOk, kOk, kOk, kOk, kForbidden, kForbidden, nf});
}

TEST(PermissionMatrix, Transfer) {
    const std::string nf = "P0002 Transfer not found";
    const std::string gnf = "P0002 Group not found";
    expect_row(Entity::kTransfer, Action::kRead, {kOk, kOk, kOk, kOk, kOk, kOk, nf});
    expect_row(Entity::kTransfer, Action::kCreate, {kOk, kOk, kOk, kOk, kOk, kForbidden, gnf});
    expect_row(Entity::kTransfer, Action::kUpdate, {kOk, kOk, kOk, kOk, kOk, kForbidden, nf});
    expect_row(Entity::kTransfer, Action::kDelete,
               {kOk, kOk, kOk, kOk, kForbidden, kForbidden, nf});
}

TEST(PermissionMatrix, QueueIsReadOnlyForDevelopers) {
    const std::string nf = "P0002 Queue not found";
    const std::string gnf = "P0002 Group not found";
    expect_row(Entity::kQueue, Action::kRead, {kOk, kOk, kOk, kOk, kOk, kOk, nf});
    expect_row(Entity::kQueue, Action::kCreate, {kOk, kOk, kOk, kOk, kForbidden, kForbidden, gnf});
    expect_row(Entity::kQueue, Action::kUpdate, {kOk, kOk, kOk, kOk, kForbidden, kForbidden, nf});
    expect_row(Entity::kQueue, Action::kDelete, {kOk, kOk, kOk, kOk, kForbidden, kForbidden, nf});
}

TEST(PermissionMatrix, Run) {
    const std::string nf = "P0002 Run not found";
    expect_row(Entity::kRun, Action::kRead, {kOk, kOk, kOk, kOk, kOk, kOk, nf});
    expect_row(Entity::kRun, Action::kCreate,
               {kOk, kOk, kOk, kOk, kOk, kForbidden, "P0002 Transfer not found"});
    expect_row(Entity::kRun, Action::kUpdate, {kOk, kOk, kOk, kOk, kOk, kForbidden, nf});
    expect_row(Entity::kRun, Action::kDelete, {kOk, kOk, kOk, kOk, kForbidden, kForbidden, nf});
}

TEST(PermissionLevel, EveryRoleOnEveryEntity) {
    struct Row {
        Entity entity;
        Level guest, developer, maintainer;
    };
    const Row rows[] = {
        {Entity::kGroup, Level::kRead, Level::kRead, Level::kRead},
        {Entity::kMembership, Level::kRead, Level::kRead, Level::kRead},
        {Entity::kConnection, Level::kRead, Level::kWrite, Level::kDelete},
        {Entity::kTransfer, Level::kRead, Level::kWrite, Level::kDelete},
        {Entity::kRun, Level::kRead, Level::kWrite, Level::kDelete},
        {Entity::kQueue, Level::kRead, Level::kRead, Level::kDelete},
    };
    for (const Row &r : rows) {
        EXPECT_EQ(permissions::level(kUser, r.entity, {true, false, Role::kGuest}), r.guest);
        EXPECT_EQ(permissions::level(kUser, r.entity, {true, false, Role::kDeveloper}),
                  r.developer);
        EXPECT_EQ(permissions::level(kUser, r.entity, {true, false, Role::kMaintainer}),
                  r.maintainer);
        EXPECT_EQ(permissions::level(kUser, r.entity, {true, true, std::nullopt}), Level::kDelete);
        EXPECT_EQ(permissions::level(kUser, r.entity, {true, false, std::nullopt}), Level::kNone);
        EXPECT_EQ(permissions::level(kSuperuser, r.entity, {true, false, std::nullopt}),
                  Level::kDelete);
        EXPECT_EQ(permissions::level(kSystem, r.entity, {true, false, std::nullopt}),
                  Level::kDelete);
    }
}

TEST(PermissionLevel, SuperuserMemberKeepsFullPower) {
    // SyncMaster's member-role-wins quirk is not copied.
    for (Entity e : {Entity::kConnection, Entity::kQueue, Entity::kTransfer, Entity::kGroup}) {
        EXPECT_EQ(permissions::level(kSuperuser, e, {true, false, Role::kGuest}), Level::kDelete);
    }
}

TEST(PermissionLevel, MissingGroupIsNoneEvenForTheSystem) {
    EXPECT_EQ(permissions::level(kSystem, Entity::kConnection, {false, false, std::nullopt}),
              Level::kNone);
    Case missing{kSuperuser, {false, false, std::nullopt}};
    EXPECT_EQ(outcome(missing, Entity::kGroup, Action::kUpdate), "P0002 Group not found");
    EXPECT_EQ(outcome(missing, Entity::kConnection, Action::kCreate), "P0002 Group not found");
    // Deleting a missing group: a superuser learns it is missing, anyone else is refused first.
    EXPECT_EQ(outcome(missing, Entity::kGroup, Action::kDelete), "P0002 Group not found");
    Case user_missing{kUser, {false, false, std::nullopt}};
    EXPECT_EQ(outcome(user_missing, Entity::kGroup, Action::kDelete), kForbidden);
}

TEST(PermissionRefusal, DetailNamesTheRoleNeeded) {
    auto all = actors();
    auto detail = [&](const char *who, Entity e, Action a) {
        try {
            permissions::authorize(all.at(who).actor, e, a, all.at(who).standing);
        } catch (const Error &err) {
            return err.detail();
        }
        return std::string("not refused");
    };
    EXPECT_EQ(detail("guest", Entity::kConnection, Action::kCreate),
              "Requires the role Developer or above in the group.");
    EXPECT_EQ(detail("developer", Entity::kConnection, Action::kDelete),
              "Requires the role Maintainer or above in the group.");
    EXPECT_EQ(detail("developer", Entity::kQueue, Action::kCreate),
              "Requires the role Maintainer or above in the group.");
    EXPECT_EQ(detail("maintainer", Entity::kGroup, Action::kUpdate),
              "Requires the group owner or a superuser.");
    EXPECT_EQ(detail("maintainer", Entity::kMembership, Action::kCreate),
              "Requires the group owner or a superuser.");
    EXPECT_EQ(detail("owner", Entity::kGroup, Action::kDelete), "Requires a superuser.");
}

TEST(Parsing, RolesEntitiesActions) {
    EXPECT_EQ(permissions::parse_role("Guest"), Role::kGuest);
    EXPECT_EQ(permissions::parse_role("Developer"), Role::kDeveloper);
    EXPECT_EQ(permissions::parse_role("Maintainer"), Role::kMaintainer);
    EXPECT_EQ(permissions::parse_role("maintainer"), std::nullopt);
    EXPECT_EQ(permissions::parse_role("Owner"), std::nullopt);
    EXPECT_STREQ(permissions::role_name(Role::kDeveloper), "Developer");
    EXPECT_EQ(permissions::parse_entity("queue"), Entity::kQueue);
    EXPECT_EQ(permissions::parse_entity("auth_data"), std::nullopt);
    EXPECT_EQ(permissions::parse_action("delete"), Action::kDelete);
    EXPECT_EQ(permissions::parse_action("drop"), std::nullopt);
}

TEST(Parsing, RequireRoleRefusesWithTheValues) {
    EXPECT_EQ(permissions::require_role("Guest"), Role::kGuest);
    try {
        permissions::require_role("Owner");
        ADD_FAILURE() << "not refused";
    } catch (const Error &e) {
        EXPECT_EQ(e.sqlstate(), "22023");
        EXPECT_EQ(e.message(), "Input should be one of: Maintainer, Developer, Guest");
        EXPECT_EQ(e.detail(), "Got \"Owner\".");
    }
}

TEST(Parsing, GroupRoleRanks) {
    EXPECT_EQ(permissions::group_role_rank("Guest"), 1);
    EXPECT_EQ(permissions::group_role_rank("Developer"), 2);
    EXPECT_EQ(permissions::group_role_rank("Maintainer"), 3);
    EXPECT_EQ(permissions::group_role_rank("Owner"), 4);
    EXPECT_EQ(permissions::group_role_rank("Superuser"), 5);
    try {
        permissions::group_role_rank("guest");
        ADD_FAILURE() << "not refused";
    } catch (const Error &e) {
        EXPECT_EQ(e.sqlstate(), "22023");
        EXPECT_EQ(e.message(),
                  "Input should be one of: Guest, Developer, Maintainer, Owner, Superuser");
        EXPECT_EQ(e.detail(), "Got \"guest\".");
    }
}
