#include "core/identity.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace core = syncmaster::core;
namespace identity = syncmaster::core::identity;

namespace {

identity::Session session(std::string role, bool superuser, bool service, std::string acting) {
    identity::Session s;
    s.role_name = std::move(role);
    s.is_superuser = superuser;
    s.is_service = service;
    s.acting_user = std::move(acting);
    return s;
}

// Runs f, which must throw core::Error, and returns it.
core::Error thrown_by(const std::function<void()> &f) {
    try {
        f();
    } catch (const core::Error &e) {
        return e;
    }
    ADD_FAILURE() << "no core::Error thrown";
    return core::Error("XX000", "none");
}

}  // namespace

TEST(IdentityClaim, PlainRoleClaimsTheUserOfItsName) {
    auto c = identity::claim(session("alice", false, false, ""));
    EXPECT_FALSE(c.system);
    EXPECT_EQ(c.username, "alice");
}

TEST(IdentityClaim, SuperuserWithoutActingUserIsTheSystem) {
    auto c = identity::claim(session("postgres", true, false, ""));
    EXPECT_TRUE(c.system);
    EXPECT_EQ(c.username, "");
}

TEST(IdentityClaim, ServiceWithoutActingUserIsTheSystem) {
    auto c = identity::claim(session("worker", false, true, ""));
    EXPECT_TRUE(c.system);
}

TEST(IdentityClaim, ServiceActsForTheNamedUser) {
    auto c = identity::claim(session("app", false, true, "bob"));
    EXPECT_FALSE(c.system);
    EXPECT_EQ(c.username, "bob");
}

TEST(IdentityClaim, SuperuserMayActForAUser) {
    auto c = identity::claim(session("postgres", true, false, "bob"));
    EXPECT_FALSE(c.system);
    EXPECT_EQ(c.username, "bob");
}

TEST(IdentityClaim, PlainRoleMayNotImpersonate) {
    auto e = thrown_by([] { identity::claim(session("mallory", false, false, "alice")); });
    EXPECT_EQ(e.sqlstate(), "42501");
    EXPECT_EQ(e.message(), "You have no power here");
    EXPECT_EQ(e.detail(), "Only members of syncmaster_service may set syncmaster.acting_user.");
}

TEST(IdentityAdmit, SystemNeedsNoRow) {
    auto a = identity::admit(identity::Claim{true, ""}, std::nullopt);
    EXPECT_TRUE(a.system);
    EXPECT_TRUE(a.is_superuser);
    EXPECT_EQ(a.user_id, 0);
}

TEST(IdentityAdmit, ActiveUserActs) {
    auto a = identity::admit(identity::Claim{false, "alice"}, identity::UserRecord{7, true, false});
    EXPECT_FALSE(a.system);
    EXPECT_EQ(a.user_id, 7);
    EXPECT_FALSE(a.is_superuser);
}

TEST(IdentityAdmit, SuperuserFlagCarriesOver) {
    auto a = identity::admit(identity::Claim{false, "root"}, identity::UserRecord{1, true, true});
    EXPECT_TRUE(a.is_superuser);
    EXPECT_FALSE(a.system);
}

TEST(IdentityAdmit, UnknownUserIsNotAuthenticated) {
    auto e = thrown_by([] { identity::admit(identity::Claim{false, "ghost"}, std::nullopt); });
    EXPECT_EQ(e.sqlstate(), "28000");
    EXPECT_EQ(e.message(), "Not authenticated");
}

TEST(IdentityAdmit, InactiveUserIsRefused) {
    auto e = thrown_by([] {
        identity::admit(identity::Claim{false, "sleepy"}, identity::UserRecord{3, false, false});
    });
    EXPECT_EQ(e.sqlstate(), "42501");
    EXPECT_EQ(e.message(), "Inactive user");
}

TEST(IdentityAdmit, InactiveSuperuserIsRefusedToo) {
    auto e = thrown_by([] {
        identity::admit(identity::Claim{false, "old"}, identity::UserRecord{4, false, true});
    });
    EXPECT_EQ(e.message(), "Inactive user");
}
