#include "membership/rules.hpp"

#include <gtest/gtest.h>

#include "entity_fixture.hpp"

using namespace syncmaster::testing;
namespace membership = syncmaster::core::membership;

namespace {

const std::string kForbidden = "42501 You have no power here";

membership::Row row(std::int64_t user, std::int64_t group, const char *role) {
    return membership::Row{user, group, std::string(role)};
}

}  // namespace

TEST(Membership, OwnerAddsMembersWithARole) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { membership::on_insert(kOwner, row(5, 10, "Guest"), w); }), "ok");
    EXPECT_EQ(w.locked_groups.count(10), 1u) << "the group row is locked against an owner change";
    EXPECT_EQ(outcome([&] { membership::on_insert(kMaintainer, row(5, 10, "Guest"), w); }),
              kForbidden);
    EXPECT_EQ(outcome([&] { membership::on_insert(kStranger, row(4, 10, "Guest"), w); }),
              "P0002 Group not found");
    EXPECT_EQ(outcome([&] { membership::on_insert(kOwner, row(5, 10, "Owner"), w); }),
              "22023 Input should be one of: Maintainer, Developer, Guest");
    EXPECT_EQ(outcome([&] {
                  membership::on_insert(kOwner, membership::Row{5, 10, std::nullopt}, w);
              }),
              "22023 role is required");
}

TEST(Membership, NoDuplicatesAndNeverTheOwner) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { membership::on_insert(kOwner, row(2, 10, "Guest"), w); }),
              "23505 User already is group member");
    EXPECT_EQ(outcome([&] { membership::on_insert(kRoot, row(1, 10, "Guest"), w); }),
              "23505 User already is group owner");
    // A user that does not exist is the foreign key's 23503.
    EXPECT_EQ(outcome([&] { membership::on_insert(kOwner, row(99, 10, "Guest"), w); }),
              "23503 insert or update on table \"user_group\" violates foreign key constraint "
              "\"fk__user_group__user_id__user\"");
    EXPECT_EQ(outcome([&] { membership::on_insert(kSystem, row(2, 99, "Guest"), w); }),
              "P0002 Group not found");
}

TEST(Membership, TheRowAnOwnerChangeMadeIsNoDuplicate) {
    FakeLookup w = world();
    // User 3 is the group's Guest, as the owner change of this transaction made it.
    EXPECT_EQ(membership::on_insert(kOwner, row(3, 10, "Guest"), w, row(3, 10, "Guest")),
              membership::Insert::kAlreadyMade);
    EXPECT_EQ(membership::on_insert(kSystem, row(3, 10, "Guest"), w, row(3, 10, "Guest")),
              membership::Insert::kAlreadyMade);
    // Another role, another user, or a row changed since: a duplicate as ever.
    EXPECT_EQ(outcome([&] {
                  membership::on_insert(kOwner, row(3, 10, "Developer"), w, row(3, 10, "Guest"));
              }),
              "23505 User already is group member");
    EXPECT_EQ(outcome([&] {
                  membership::on_insert(kOwner, row(2, 10, "Developer"), w, row(3, 10, "Guest"));
              }),
              "23505 User already is group member");
    EXPECT_EQ(outcome([&] {
                  membership::on_insert(kOwner, row(2, 10, "Guest"), w, row(2, 10, "Guest"));
              }),
              "23505 User already is group member");
    // The previous owner, no longer the owner, repeats its own change's row: nothing is written.
    EXPECT_EQ(membership::on_insert(kGuest, row(3, 10, "Guest"), w, row(3, 10, "Guest")),
              membership::Insert::kAlreadyMade);
    // A row that is not the one made is a write the rules judge first.
    EXPECT_EQ(outcome([&] {
                  membership::on_insert(kGuest, row(5, 10, "Guest"), w, row(3, 10, "Guest"));
              }),
              kForbidden);
    EXPECT_EQ(membership::on_insert(kOwner, row(5, 10, "Guest"), w), membership::Insert::kWrite);
}

TEST(Membership, RoleChangesAndMoves) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] {
                  membership::on_update(kOwner, row(2, 10, "Developer"), row(2, 10, "Guest"), w);
              }),
              "ok");
    EXPECT_EQ(outcome([&] {
                  membership::on_update(kDeveloper, row(2, 10, "Developer"),
                                        row(2, 10, "Maintainer"), w);
              }),
              kForbidden);
    EXPECT_EQ(outcome([&] {
                  membership::on_update(kOwner, row(2, 10, "Developer"), row(2, 11, "Guest"), w);
              }),
              "P0002 Group not found");
    EXPECT_EQ(outcome([&] {
                  membership::on_update(kRoot, row(2, 10, "Developer"), row(3, 10, "Guest"), w);
              }),
              "23505 User already is group member");
}

TEST(Membership, AnyMemberLeavesTheOwnerRemoves) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { membership::on_delete(kGuest, row(3, 10, "Guest"), w); }), "ok");
    EXPECT_EQ(outcome([&] { membership::on_delete(kGuest, row(2, 10, "Developer"), w); }),
              kForbidden);
    EXPECT_EQ(outcome([&] { membership::on_delete(kOwner, row(2, 10, "Developer"), w); }), "ok");
    // The cascade of a deleted group: allowed already.
    EXPECT_EQ(outcome([&] { membership::on_delete(kStranger, row(2, 99, "Developer"), w); }), "ok");
}
