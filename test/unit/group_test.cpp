#include "group/rules.hpp"

#include <gtest/gtest.h>

#include "entity_fixture.hpp"

using namespace syncmaster::testing;
namespace group = syncmaster::core::group;

namespace {

const std::string kForbidden = "42501 You have no power here";

group::Row analytics() {
    return group::Row{10, std::string("analytics"), 1};
}

}  // namespace

TEST(Group, UsersOwnWhatTheyCreate) {
    FakeLookup w = world();
    EXPECT_EQ(group::on_insert(kDeveloper, group::Row{12, std::string("mine"), std::nullopt}, w),
              2);
    EXPECT_EQ(group::on_insert(kDeveloper, group::Row{12, std::string("mine"), 2}, w), 2);
    EXPECT_EQ(outcome([&] {
                  group::on_insert(kDeveloper, group::Row{12, std::string("mine"), 5}, w);
              }),
              kForbidden);
    EXPECT_EQ(group::on_insert(kRoot, group::Row{12, std::string("mine"), 5}, w), 5);
    EXPECT_EQ(group::on_insert(kSystem, group::Row{12, std::string("mine"), 5}, w), 5);
    EXPECT_EQ(outcome([&] {
                  group::on_insert(kSystem, group::Row{12, std::string("mine"), std::nullopt}, w);
              }),
              "22023 owner_id is required when acting as the system");
    // An owner that does not exist is the foreign key's 23503, as PostgreSQL words it.
    EXPECT_EQ(outcome([&] {
                  group::on_insert(kSystem, group::Row{12, std::string("mine"), 99}, w);
              }),
              "23503 insert or update on table \"group\" violates foreign key constraint "
              "\"fk__group__owner_id__user\"");
}

TEST(Group, NamesAreBoundedAndFree) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] {
                  group::on_insert(kOwner, group::Row{12, std::string("ab"), 1}, w);
              }),
              "22023 group name must have 3 to 128 characters");
    EXPECT_EQ(outcome([&] {
                  group::on_insert(kOwner, group::Row{12, std::nullopt, 1}, w);
              }),
              "22023 group name is required");
    EXPECT_EQ(outcome([&] {
                  group::on_insert(kOwner, group::Row{12, std::string("billing"), 1}, w);
              }),
              "23505 Group name already taken");
    auto renamed = analytics();
    renamed.name = "billing";
    EXPECT_EQ(outcome([&] { group::on_update(kOwner, analytics(), renamed, w); }),
              "23505 Group name already taken");
    renamed.name = "x";
    EXPECT_EQ(outcome([&] { group::on_update(kOwner, analytics(), renamed, w); }),
              "22023 group name must have 3 to 128 characters");
}

TEST(Group, OwnerAndSuperusersChangeIt) {
    FakeLookup w = world();
    auto handed = analytics();
    handed.owner_id = 2;
    EXPECT_EQ(outcome([&] { group::on_update(kOwner, analytics(), handed, w); }), "ok");
    EXPECT_EQ(outcome([&] { group::on_update(kRoot, analytics(), handed, w); }), "ok");
    EXPECT_EQ(outcome([&] { group::on_update(kMaintainer, analytics(), handed, w); }), kForbidden);
    EXPECT_EQ(outcome([&] { group::on_update(kStranger, analytics(), handed, w); }),
              "P0002 Group not found");
    handed.owner_id = 99;  // no such user
    try {
        group::on_update(kOwner, analytics(), handed, w);
        ADD_FAILURE() << "not refused";
    } catch (const syncmaster::core::Error &e) {
        EXPECT_EQ(e.sqlstate(), "23503");
        EXPECT_EQ(e.detail(), "Key (owner_id)=(99) is not present in table \"user\".");
        EXPECT_STREQ(e.constraint().name, "fk__group__owner_id__user");
        EXPECT_STREQ(e.constraint().table, "group");
    }
}

TEST(Group, OnlySuperusersDeleteBeforeAnyLookup) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { group::on_delete(kOwner, analytics(), w); }), kForbidden);
    EXPECT_EQ(outcome([&] {
                  group::on_delete(kStranger, group::Row{999, std::string("gone"), 1}, w);
              }),
              kForbidden);
    EXPECT_EQ(outcome([&] { group::on_delete(kRoot, analytics(), w); }), "ok");
}

TEST(Group, AnOwnerChangeMovesTheMemberships) {
    auto handed = analytics();
    handed.owner_id = 2;
    group::MembershipWrites writes = group::after_update(analytics(), handed);
    ASSERT_TRUE(writes.remove && writes.add);
    EXPECT_EQ(writes.remove->user_id, 2);  // the new owner's member row goes
    EXPECT_EQ(writes.remove->group_id, 10);
    EXPECT_EQ(writes.add->user_id, 1);  // the previous owner stays on as a Guest
    EXPECT_EQ(writes.add->group_id, 10);
    EXPECT_EQ(writes.add->role, std::optional<std::string>("Guest"));
    writes = group::after_update(analytics(), analytics());
    EXPECT_FALSE(writes.remove || writes.add);
}
