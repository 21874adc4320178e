#include "connection/rules.hpp"

#include <gtest/gtest.h>

#include "entity_fixture.hpp"

using namespace syncmaster::testing;
namespace connection = syncmaster::core::connection;
using Json = syncmaster::core::connection_types::Json;

namespace {

const std::string kForbidden = "42501 You have no power here";

connection::Row warehouse() {
    return connection::Row{100, 10, std::string("warehouse"), std::string("postgres"),
                           std::string(R"({"host": "pg", "database_name": "dwh"})")};
}

}  // namespace

TEST(Connection, DevelopersCreateWithDataNormalized) {
    FakeLookup w = world();
    auto row = warehouse();
    row.id = 101;
    row.name = "lake";
    connection::Outcome out = connection::on_insert(kDeveloper, row, w);
    ASSERT_TRUE(out.data);
    EXPECT_EQ(Json::parse(*out.data)["port"], 5432);
    EXPECT_EQ(outcome([&] { connection::on_insert(kGuest, row, w); }), kForbidden);
    EXPECT_EQ(outcome([&] { connection::on_insert(kStranger, row, w); }), "P0002 Group not found");
}

TEST(Connection, NamesTypesAndDataAreChecked) {
    FakeLookup w = world();
    auto row = warehouse();
    row.id = 101;
    EXPECT_EQ(outcome([&] { connection::on_insert(kDeveloper, row, w); }),
              "23505 The connection name already exists in the target group, please specify a "
              "new one");
    row.name = "ab";
    EXPECT_EQ(outcome([&] { connection::on_insert(kDeveloper, row, w); }),
              "22023 connection name must have 3 to 128 characters");
    row.name = "lake";
    row.type = "postgresql";
    EXPECT_EQ(outcome([&] { connection::on_insert(kDeveloper, row, w); }),
              "22023 unknown connection type \"postgresql\"");
    row.type = "postgres";
    row.data = R"({"host": "pg", "database_name": "dwh", "port": 1e400})";
    EXPECT_EQ(outcome([&] { connection::on_insert(kDeveloper, row, w); }),
              "22023 connection data: field \"port\" must be a number that a 64-bit integer or a "
              "double holds exactly");
}

TEST(Connection, UnchangedDataIsNotParsedAgain) {
    FakeLookup w = world();
    auto renamed = warehouse();
    renamed.name = "dwh";
    connection::Outcome out = connection::on_update(kDeveloper, warehouse(), renamed, w);
    EXPECT_FALSE(out.data);
    EXPECT_FALSE(out.refit_credentials);
}

TEST(Connection, DataTheAdapterSawUnchangedIsNeitherReadNorParsed) {
    FakeLookup w = world();
    connection::Row old_row{100,          10,  std::string("warehouse"), std::string("postgres"),
                            std::nullopt, true};
    connection::Row new_row{100,          10,  std::string("dwh"), std::string("postgres"),
                            std::nullopt, true};
    connection::Outcome out = connection::on_update(kDeveloper, old_row, new_row, w);
    EXPECT_FALSE(out.data);
    EXPECT_FALSE(out.refit_credentials);
    // The rules still hold: the name and the permission are checked as ever.
    new_row.name = "ab";
    EXPECT_EQ(outcome([&] { connection::on_update(kDeveloper, old_row, new_row, w); }),
              "22023 connection name must have 3 to 128 characters");
    new_row.name = "dwh";
    EXPECT_EQ(outcome([&] { connection::on_update(kGuest, old_row, new_row, w); }), kForbidden);
}

TEST(Connection, ATypeChangeRefitsCredentialsUnlessTransfersUseIt) {
    FakeLookup w = world();
    auto retyped = warehouse();
    retyped.type = "mysql";
    retyped.data = R"({"host": "my"})";
    connection::Outcome out = connection::on_update(kDeveloper, warehouse(), retyped, w);
    EXPECT_TRUE(out.refit_credentials);
    EXPECT_FALSE(out.fit_may_wait);  // a person's change: fit now, or refused
    // The system's may wait for the commit: SyncMaster writes the new credentials after.
    EXPECT_TRUE(connection::on_update(kSystem, warehouse(), retyped, w).fit_may_wait);
    auto moved_host = warehouse();
    moved_host.data = R"({"host": "pg2", "database_name": "dwh"})";
    EXPECT_FALSE(connection::on_update(kDeveloper, warehouse(), moved_host, w).refit_credentials);
    w.transfers_by_connection[100] = 2;
    EXPECT_EQ(outcome([&] { connection::on_update(kDeveloper, warehouse(), retyped, w); }),
              "55000 You cannot update the connection type of a connection already associated "
              "with a transfer.");
}

TEST(Connection, CredentialsMustFitTheNewType) {
    Json basic = {{"type", "basic"}, {"user", "u"}, {"password", "secret"}};
    Json kept = connection::refit_credentials("mysql", Json{{"host", "my"}, {"port", 3306}}, basic);
    EXPECT_EQ(kept["password"], "secret");
    try {
        connection::refit_credentials(
            "s3", Json{{"host", "s3"}, {"bucket", "b"}, {"region", "r"}, {"protocol", "https"}},
            basic);
        ADD_FAILURE() << "not refused";
    } catch (const syncmaster::core::Error &e) {
        EXPECT_EQ(e.sqlstate(), "55000");
        EXPECT_EQ(e.message(), "The credentials of the connection do not fit its new type");
    }
}

TEST(Connection, ATokenWrittenDirectlyMustOpenAndFit) {
    EXPECT_EQ(outcome([] { connection::token_of_another_key("bad signature"); }),
              "22023 auth_data value is not a token of the configured key");
    Json pg = {{"host", "h"}, {"database_name", "d"}};
    EXPECT_EQ(outcome([&] {
                  connection::check_token_credentials(
                      "postgres", pg, R"({"type": "basic", "user": "u", "password": "p"})");
              }),
              "ok");
    EXPECT_EQ(outcome([&] {
                  connection::check_token_credentials(
                      "postgres", pg, R"({"type": "s3", "access_key": "a", "secret_key": "s"})");
              }),
              "22023 auth_data: field \"type\" must be one of: basic for a postgres connection");
}

TEST(Connection, AtCommitTheCredentialsFitTheConnectionAsItIs) {
    Json s3 = {{"host", "s3"}, {"bucket", "b"}, {"region", "r"}, {"protocol", "https"}};
    EXPECT_EQ(outcome([&] {
                  connection::check_credentials_fit(
                      "s3", s3, R"({"type": "s3", "access_key": "a", "secret_key": "s"})");
              }),
              "ok");
    EXPECT_EQ(outcome([&] {
                  connection::check_credentials_fit(
                      "s3", s3, R"({"type": "basic", "user": "u", "password": "p"})");
              }),
              "55000 The credentials of the connection do not fit its new type");
}

TEST(Connection, MaintainersDeleteWhatNoTransferUses) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { connection::on_delete(kDeveloper, warehouse(), w); }), kForbidden);
    EXPECT_EQ(outcome([&] { connection::on_delete(kMaintainer, warehouse(), w); }), "ok");
    w.transfers_by_connection[100] = 3;
    EXPECT_EQ(outcome([&] { connection::on_delete(kMaintainer, warehouse(), w); }),
              "55000 The connection has an associated transfers. Number of the connected "
              "transfers: 3");
    auto orphan = warehouse();
    orphan.group_id = 99;  // its group was deleted: the cascade passes
    EXPECT_EQ(outcome([&] { connection::on_delete(kStranger, orphan, w); }), "ok");
}

TEST(Connection, OnlyTheSystemReadsSecrets) {
    EXPECT_EQ(outcome([] { connection::authorize_credentials(kSystem, "reads credentials"); }),
              "ok");
    EXPECT_EQ(outcome([] { connection::authorize_credentials(kRoot, "reads credentials"); }),
              "42501 You have no power here");
    EXPECT_EQ(outcome([] { connection::authorize_credentials(kOwner, "reads credentials"); }),
              "42501 You have no power here");
    EXPECT_EQ(outcome([] { connection::credentials_not_set(7); }),
              "55000 Credentials not set for connection 7");
}
