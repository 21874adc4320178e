#include "core/permissions.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace identity = syncmaster::core::identity;
namespace permissions = syncmaster::core::permissions;
using syncmaster::core::Error;

namespace {

const identity::Actor kSystem = identity::Actor::make_system();
const identity::Actor kSuperuser{false, 1, true};
const identity::Actor kAlice{false, 2, false};

permissions::UserRow alice_row() {
    return permissions::UserRow{2, "alice", false, true};
}

void expect_forbidden(const std::function<void()> &f, const std::string &detail) {
    try {
        f();
        ADD_FAILURE() << "not refused";
    } catch (const Error &e) {
        EXPECT_EQ(e.sqlstate(), "42501");
        EXPECT_EQ(e.message(), "You have no power here");
        EXPECT_EQ(e.detail(), detail);
    }
}

}  // namespace

TEST(UserInsert, SystemAndSuperusersCreateUsers) {
    EXPECT_NO_THROW(permissions::check_user_insert(kSystem));
    EXPECT_NO_THROW(permissions::check_user_insert(kSuperuser));
}

TEST(UserInsert, PlainUserMayNot) {
    expect_forbidden([] { permissions::check_user_insert(kAlice); },
                     "Creating users needs a superuser.");
}

TEST(UserDelete, OnlySystemAndSuperusers) {
    EXPECT_NO_THROW(permissions::check_user_delete(kSystem));
    EXPECT_NO_THROW(permissions::check_user_delete(kSuperuser));
    expect_forbidden([] { permissions::check_user_delete(kAlice); },
                     "Deleting users needs a superuser.");
}

TEST(UserUpdate, UserEditsOwnNames) {
    auto changed = alice_row();
    EXPECT_NO_THROW(permissions::check_user_update(kAlice, alice_row(), changed));
}

TEST(UserUpdate, UserMayNotEditAnother) {
    auto bob = permissions::UserRow{3, "bob", false, true};
    expect_forbidden([&] { permissions::check_user_update(kAlice, bob, bob); },
                     "Changing another user needs a superuser.");
}

TEST(UserUpdate, UserMayNotPromoteDeactivateOrRenameItself) {
    const std::string detail =
        "Changing id, username, is_superuser or is_active needs a superuser.";
    auto promoted = alice_row();
    promoted.is_superuser = true;
    expect_forbidden([&] { permissions::check_user_update(kAlice, alice_row(), promoted); },
                     detail);
    auto deactivated = alice_row();
    deactivated.is_active = false;
    expect_forbidden([&] { permissions::check_user_update(kAlice, alice_row(), deactivated); },
                     detail);
    auto renamed = alice_row();
    renamed.username = "alicia";
    expect_forbidden([&] { permissions::check_user_update(kAlice, alice_row(), renamed); }, detail);
    auto moved = alice_row();
    moved.id = 99;
    expect_forbidden([&] { permissions::check_user_update(kAlice, alice_row(), moved); }, detail);
}

TEST(UserUpdate, SuperusersChangeAnything) {
    auto changed = alice_row();
    changed.is_superuser = true;
    changed.is_active = false;
    changed.username = "alicia";
    EXPECT_NO_THROW(permissions::check_user_update(kSuperuser, alice_row(), changed));
    EXPECT_NO_THROW(permissions::check_user_update(kSystem, alice_row(), changed));
}
