#include "core/fields.hpp"

#include <gtest/gtest.h>

#include "connection/rules.hpp"
#include "group/rules.hpp"
#include "membership/rules.hpp"
#include "queue/rules.hpp"
#include "run/rules.hpp"
#include "transfer/rules.hpp"
#include "user/rules.hpp"

#include <string>

#include "outcome.hpp"

namespace fields = syncmaster::core::fields;
using syncmaster::testing::outcome;

namespace {

namespace core = syncmaster::core;

std::string try_check(const fields::Text &field, std::optional<std::string> value) {
    return outcome([&] {
        std::optional<std::string_view> v;
        if (value) {
            v = *value;
        }
        fields::check(field, v);
    });
}

}  // namespace

TEST(Fields, NamesHave3To128Characters) {
    EXPECT_EQ(try_check(core::connection::kName, "abc"), "ok");
    EXPECT_EQ(try_check(core::connection::kName, "ёжи"), "ok");  // 3 characters, 6 bytes
    EXPECT_EQ(try_check(core::group::kName, std::string(128, 'x')), "ok");
    EXPECT_EQ(try_check(core::group::kName, "ab"),
              "22023 group name must have 3 to 128 characters");
    EXPECT_EQ(try_check(core::transfer::kName, std::string(129, 'x')),
              "22023 transfer name must have 3 to 128 characters");
    EXPECT_EQ(try_check(core::queue::kName, std::nullopt), "22023 queue name is required");
    EXPECT_EQ(try_check(core::queue::kName, "tab\there"),
              "22023 queue name must be printable ASCII (from space to ~)");
}

TEST(Fields, OptionalTextHasAnUpperBound) {
    EXPECT_EQ(try_check(core::group::kDescription, std::nullopt), "ok");
    EXPECT_EQ(try_check(core::group::kDescription, std::string(512, 'd')), "ok");
    EXPECT_EQ(try_check(core::queue::kDescription, std::string(513, 'd')),
              "22023 queue description must have at most 512 characters");
    EXPECT_EQ(try_check(core::user::kEmail, std::string(257, 'e')),
              "22023 user email must have at most 256 characters");
    EXPECT_EQ(try_check(fields::kSearch, std::string(256, 's')), "ok");
    EXPECT_EQ(try_check(fields::kSearch, std::string(257, 's')),
              "22023 search must have at most 256 characters");
    EXPECT_EQ(try_check(core::run::kWorker, std::string(256, 'w')), "ok");
    EXPECT_EQ(try_check(core::run::kWorker, std::string(257, 'w')),
              "22023 worker must have at most 256 characters");
    EXPECT_EQ(try_check(core::run::kLogUrl, std::nullopt), "ok");
    EXPECT_EQ(try_check(core::run::kLogUrl, std::string(513, 'u')),
              "22023 log_url must have at most 512 characters");
}

TEST(Fields, EnumsAreRequired) {
    EXPECT_EQ(try_check(core::connection::kType, "sftp"), "ok");
    EXPECT_EQ(try_check(core::connection::kType, "ftpx"), "22023 unknown connection type \"ftpx\"");
    EXPECT_EQ(try_check(core::membership::kRole, "Guest"), "ok");
    EXPECT_EQ(try_check(core::membership::kRole, "Owner"),
              "22023 Input should be one of: Maintainer, Developer, Guest");
    EXPECT_EQ(try_check(core::membership::kRole, std::nullopt), "22023 role is required");
    EXPECT_EQ(try_check(core::connection::kType, std::nullopt),
              "22023 connection type is required");
}

TEST(Fields, UsernamesFitALoginRole) {
    auto username = [](std::optional<std::string> name, fields::RoleNamed role = {}) {
        return outcome([&] {
            std::optional<std::string_view> v;
            if (name) {
                v = *name;
            }
            fields::check_username(v, role);
        });
    };
    EXPECT_EQ(username("grace"), "ok");
    EXPECT_EQ(username("grace", {true, true}), "ok");
    EXPECT_EQ(username(std::string(63, 'u')), "ok");
    EXPECT_EQ(username(std::string(64, 'u')), "22023 username must have at most 63 bytes");
    EXPECT_EQ(username(std::string(62, 'e') + "é"), "22023 username must have at most 63 bytes");
    EXPECT_EQ(username(""), "22023 username is required");
    EXPECT_EQ(username(std::nullopt), "22023 username is required");
    EXPECT_EQ(username("syncmaster_user"), "22023 username \"syncmaster_user\" is reserved");
    EXPECT_EQ(username("syncmaster_service"), "22023 username \"syncmaster_service\" is reserved");
    EXPECT_EQ(username("syncmaster_app"), "22023 username \"syncmaster_app\" is reserved");
    EXPECT_EQ(username("pg_monitor"), "22023 username \"pg_monitor\" is reserved");
    EXPECT_EQ(username("team", {true, false}),
              "22023 username \"team\" names a role that cannot log in");
}

TEST(Fields, PagesFollowSyncMastersBounds) {
    EXPECT_EQ(outcome([] { fields::check_page(1, 50); }), "ok");
    EXPECT_EQ(outcome([] { fields::check_page(0, 20); }), "22023 page should be greater than 0");
    EXPECT_EQ(outcome([] { fields::check_page(std::nullopt, 20); }),
              "22023 page should be greater than 0");
    EXPECT_EQ(outcome([] { fields::check_page(1, 51); }),
              "22023 page_size should be between 1 and 50");
    EXPECT_EQ(outcome([] { fields::check_page(1, 0); }),
              "22023 page_size should be between 1 and 50");
}
