#include "user/rules.hpp"

#include <gtest/gtest.h>

#include "entity_fixture.hpp"

using namespace syncmaster::testing;
namespace user = syncmaster::core::user;

namespace {

const std::string kForbidden = "42501 You have no power here";

user::Row alice() {
    return user::Row{1, std::string("alice"), false, true};
}

}  // namespace

TEST(User, SystemAndSuperusersCreateUsers) {
    FakeLookup w = world();
    user::Row zoe{7, std::string("zoe"), false, true};
    EXPECT_EQ(outcome([&] { user::on_insert(kSystem, zoe, w); }), "ok");
    EXPECT_EQ(outcome([&] { user::on_insert(kRoot, zoe, w); }), "ok");
    EXPECT_EQ(outcome([&] { user::on_insert(kOwner, zoe, w); }), kForbidden);
}

TEST(User, UsernamesAreFreeAndFitARole) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] {
                  user::on_insert(kSystem, user::Row{7, std::string("bob")}, w);
              }),
              "23505 Username is already taken");
    EXPECT_EQ(outcome([&] {
                  user::on_insert(kSystem, user::Row{7, std::string("team")}, w);
              }),
              "22023 username \"team\" names a role that cannot log in");
    EXPECT_EQ(outcome([&] {
                  user::on_insert(kSystem, user::Row{7, std::nullopt}, w);
              }),
              "22023 username is required");
    // A login role of the same name is how a user acts: fine (alice's own row).
    EXPECT_EQ(outcome([&] { user::on_update(kSystem, alice(), alice(), w); }), "ok");
}

TEST(User, UserEditsOwnNamesOnly) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { user::on_update(kOwner, alice(), alice(), w); }), "ok");
    user::Row bob{2, std::string("bob"), false, true};
    EXPECT_EQ(outcome([&] { user::on_update(kOwner, bob, bob, w); }), kForbidden);
    // username, is_superuser and is_active are a superuser's: the column rights refuse them to
    // anyone else (columns_test.cpp).
    auto renamed = alice();
    renamed.username = "alicia";
    EXPECT_EQ(outcome([&] { user::on_update(kRoot, alice(), renamed, w); }), "ok");
    renamed.username = "bob";
    EXPECT_EQ(outcome([&] { user::on_update(kRoot, alice(), renamed, w); }),
              "23505 Username is already taken");
}

TEST(User, OwnersOfGroupsCannotGo) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] {
                  user::on_delete(kOwner, user::Row{2, std::string("bob")}, w);
              }),
              kForbidden);
    EXPECT_EQ(outcome([&] { user::on_delete(kRoot, user::Row{2, std::string("bob")}, w); }), "ok");
    w.groups[12] = {"archive", 1};
    // The system's delete takes the groups along, as SyncMaster's foreign key cascades.
    EXPECT_EQ(user::on_delete(kSystem, alice(), w), syncmaster::core::in_use::Dependents::kRemove);
    try {
        user::on_delete(kRoot, alice(), w);
        ADD_FAILURE() << "not refused";
    } catch (const syncmaster::core::Error &e) {
        EXPECT_EQ(e.sqlstate(), "55000");
        EXPECT_EQ(e.message(), "User alice owns groups and cannot be deleted");
        EXPECT_EQ(e.detail(), "Groups owned: \"analytics\", \"archive\".");
        EXPECT_EQ(e.hint(), "Give each group another owner with syncmaster.update_group() first.");
    }
}
