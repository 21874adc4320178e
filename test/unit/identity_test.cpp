#include "core/identity.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace core = syncmaster::core;
namespace identity = syncmaster::core::identity;

namespace {

identity::Session session(std::string role, bool superuser, bool service, std::string acting,
                          bool app = false, bool stale = false) {
    identity::Session s;
    s.role_name = std::move(role);
    s.is_superuser = superuser;
    s.is_service = service;
    s.is_app = app;
    s.acting_user = std::move(acting);
    s.stale_acting_user = stale;
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

TEST(IdentityClaim, ServiceMayNotActForAUser) {
    auto e = thrown_by([] { identity::claim(session("worker", false, true, "bob")); });
    EXPECT_EQ(e.sqlstate(), "42501");
    EXPECT_EQ(e.message(), "You have no power here");
    EXPECT_EQ(e.detail(), "Only members of syncmaster_app may set syncmaster.acting_user.");
    EXPECT_EQ(e.hint(),
              "A member of syncmaster_service acts as the system and names no user; an "
              "application that acts for users connects as a member of syncmaster_app.");
}

TEST(IdentityClaim, AppActsForTheNamedUser) {
    auto c = identity::claim(session("app", false, false, "bob", true));
    EXPECT_FALSE(c.system);
    EXPECT_EQ(c.username, "bob");
}

TEST(IdentityClaim, AppNamingNobodyIsNotAuthenticated) {
    auto e = thrown_by([] { identity::claim(session("app", false, false, "", true)); });
    EXPECT_EQ(e.sqlstate(), "28000");
    EXPECT_EQ(e.message(), "Not authenticated");
    EXPECT_EQ(e.detail(),
              "A member of syncmaster_app acts only for the user it names in "
              "syncmaster.acting_user in the current transaction.");
    EXPECT_EQ(e.hint(),
              "Inside the transaction, SET LOCAL syncmaster.acting_user = '<username>' or call "
              "set_config('syncmaster.acting_user', '<username>', true).");
}

TEST(IdentityClaim, AppWithAValueFromAnEarlierTransactionIsNotAuthenticated) {
    auto e = thrown_by([] { identity::claim(session("app", false, false, "", true, true)); });
    EXPECT_EQ(e.sqlstate(), "28000");
    EXPECT_EQ(e.message(), "Not authenticated");
    // The stale value may be another client's (a pooled server session): it is never echoed.
    EXPECT_EQ(e.detail(),
              "syncmaster.acting_user was set before this transaction began, and a member of "
              "syncmaster_app acts only for the user named in the current transaction.");
}

TEST(IdentityClaim, AppIsNeverTheUserOfItsOwnRoleName) {
    // A login role in syncmaster_app named like a user still names its user or is nobody.
    auto e = thrown_by([] { identity::claim(session("bob", false, false, "", true)); });
    EXPECT_EQ(e.sqlstate(), "28000");
}

TEST(IdentityClaim, AppThatIsAlsoTheSystemIsTheSystemWhenNamingNobody) {
    auto c = identity::claim(session("ops", false, true, "", true));
    EXPECT_TRUE(c.system);
    auto named = identity::claim(session("ops", false, true, "bob", true));
    EXPECT_FALSE(named.system);
    EXPECT_EQ(named.username, "bob");
}

TEST(IdentityClaim, SuperuserWithAStaleValueIsTheSystem) {
    auto c = identity::claim(session("postgres", true, false, "", false, true));
    EXPECT_TRUE(c.system);
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
    EXPECT_EQ(e.detail(), "Only members of syncmaster_app may set syncmaster.acting_user.");
    EXPECT_EQ(e.hint(),
              "Reset syncmaster.acting_user, or connect as a role that is a member of "
              "syncmaster_app.");
}

TEST(IdentityClaim, PlainRoleWithAStaleValueActsAsItsOwnUser) {
    auto c = identity::claim(session("alice", false, false, "", false, true));
    EXPECT_FALSE(c.system);
    EXPECT_EQ(c.username, "alice");
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
