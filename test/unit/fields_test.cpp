#include "core/fields.hpp"

#include <gtest/gtest.h>

#include <string>

#include "outcome.hpp"

namespace fields = syncmaster::core::fields;
using syncmaster::testing::outcome;

namespace {

std::string check(const char *entity, const char *field, std::optional<std::string> value) {
    return outcome([&] {
        std::optional<std::string_view> v;
        if (value) {
            v = *value;
        }
        fields::check(entity, field, v);
    });
}

}  // namespace

TEST(Fields, NamesHave3To128Characters) {
    EXPECT_EQ(check("connection", "name", "abc"), "ok");
    EXPECT_EQ(check("connection", "name", "ёжи"), "ok");  // 3 characters, 6 bytes
    EXPECT_EQ(check("group", "name", std::string(128, 'x')), "ok");
    EXPECT_EQ(check("group", "name", "ab"), "22023 group name must have 3 to 128 characters");
    EXPECT_EQ(check("transfer", "name", std::string(129, 'x')),
              "22023 transfer name must have 3 to 128 characters");
    EXPECT_EQ(check("queue", "name", std::nullopt), "22023 queue name is required");
    EXPECT_EQ(check("queue", "name", "tab\there"),
              "22023 queue name must be printable ASCII (from space to ~)");
}

TEST(Fields, OptionalTextHasAnUpperBound) {
    EXPECT_EQ(check("group", "description", std::nullopt), "ok");
    EXPECT_EQ(check("group", "description", std::string(512, 'd')), "ok");
    EXPECT_EQ(check("queue", "description", std::string(513, 'd')),
              "22023 queue description must have at most 512 characters");
    EXPECT_EQ(check("user", "email", std::string(257, 'e')),
              "22023 user email must have at most 256 characters");
    EXPECT_EQ(check("list", "search", std::string(256, 's')), "ok");
    EXPECT_EQ(check("list", "search", std::string(257, 's')),
              "22023 search must have at most 256 characters");
    EXPECT_EQ(check("run", "worker", std::string(256, 'w')), "ok");
    EXPECT_EQ(check("run", "worker", std::string(257, 'w')),
              "22023 worker must have at most 256 characters");
    EXPECT_EQ(check("run", "log_url", std::nullopt), "ok");
    EXPECT_EQ(check("run", "log_url", std::string(513, 'u')),
              "22023 log_url must have at most 512 characters");
}

TEST(Fields, EnumsAndUnknownFields) {
    EXPECT_EQ(check("connection", "type", "sftp"), "ok");
    EXPECT_EQ(check("connection", "type", "ftpx"), "22023 unknown connection type \"ftpx\"");
    EXPECT_EQ(check("membership", "role", "Guest"), "ok");
    EXPECT_EQ(check("membership", "role", "Owner"),
              "22023 Input should be one of: Maintainer, Developer, Guest");
    EXPECT_EQ(check("group", "colour", "red"), "22023 unknown field \"group colour\"");
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
