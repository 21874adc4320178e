#include "connection/types.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include "outcome.hpp"

#include <fstream>
#include <string>

namespace ct = syncmaster::core::connection_types;
using ct::Json;
using syncmaster::core::Error;
using syncmaster::testing::outcome;

namespace {

std::string data_outcome(const std::string &type, const Json &data) {
    return outcome([&] { ct::normalize_data(type, data); });
}

}  // namespace

TEST(ConnectionTypes, TheFourteenInSyncMastersOrder) {
    EXPECT_EQ(ct::all_types(),
              (std::vector<std::string>{"clickhouse", "hive", "iceberg", "mssql", "mysql", "oracle",
                                        "postgres", "ftp", "ftps", "hdfs", "s3", "samba", "sftp",
                                        "webdav"}));
    EXPECT_TRUE(ct::is_known_type("webdav"));
    EXPECT_FALSE(ct::is_known_type("Postgres"));
    EXPECT_EQ(data_outcome("mongodb", Json::object()), "22023 unknown connection type \"mongodb\"");
}

// Every type's minimal valid data, and what it normalizes to.
TEST(ConnectionData, EveryTypeWithDefaultsFilledIn) {
    struct Case {
        const char *type;
        Json in, out;
    };
    const Case cases[] = {
        {"postgres",
         {{"host", "pg"}, {"database_name", "db"}},
         {{"host", "pg"},
          {"port", 5432},
          {"database_name", "db"},
          {"additional_params", Json::object()}}},
        {"mssql",
         {{"host", "ms"}, {"database_name", "db"}},
         {{"host", "ms"},
          {"port", 1433},
          {"database_name", "db"},
          {"additional_params", Json::object()}}},
        {"mysql",
         {{"host", "my"}},
         {{"host", "my"},
          {"port", 3306},
          {"database_name", nullptr},
          {"additional_params", Json::object()}}},
        {"clickhouse",
         {{"host", "ch"}},
         {{"host", "ch"},
          {"port", 8123},
          {"database_name", nullptr},
          {"additional_params", Json::object()}}},
        {"oracle",
         {{"host", "ora"}, {"sid", "XE"}},
         {{"host", "ora"},
          {"port", 1521},
          {"service_name", nullptr},
          {"sid", "XE"},
          {"additional_params", Json::object()}}},
        {"hive", {{"cluster", "rnd"}}, {{"cluster", "rnd"}}},
        {"hdfs", {{"cluster", "rnd"}}, {{"cluster", "rnd"}}},
        {"iceberg",
         {{"type", "iceberg_rest_s3_direct"},
          {"rest_catalog_url", "https://rest"},
          {"s3_warehouse_path", "/wh"},
          {"s3_host", "s3"},
          {"s3_bucket", "b"},
          {"s3_region", "r"}},
         {{"type", "iceberg_rest_s3_direct"},
          {"rest_catalog_url", "https://rest"},
          {"s3_warehouse_path", "/wh"},
          {"s3_host", "s3"},
          {"s3_port", nullptr},
          {"s3_protocol", "https"},
          {"s3_bucket", "b"},
          {"s3_region", "r"},
          {"s3_bucket_style", "path"},
          {"s3_additional_params", Json::object()}}},
        {"iceberg",
         {{"type", "iceberg_rest_s3_delegated"}, {"rest_catalog_url", "http://rest:8181"}},
         {{"type", "iceberg_rest_s3_delegated"},
          {"rest_catalog_url", "http://rest:8181"},
          {"s3_warehouse_name", nullptr},
          {"s3_access_delegation", "vended-credentials"}}},
        {"s3",
         {{"host", "s3"}, {"bucket", "b"}, {"region", "r"}},
         {{"host", "s3"},
          {"bucket", "b"},
          {"protocol", "https"},
          {"region", "r"},
          {"port", 443},
          {"bucket_style", "path"},
          {"additional_params", Json::object()}}},
        {"s3",
         {{"host", "s3"}, {"bucket", "b"}, {"region", "r"}, {"protocol", "http"}},
         {{"host", "s3"},
          {"bucket", "b"},
          {"protocol", "http"},
          {"region", "r"},
          {"port", 80},
          {"bucket_style", "path"},
          {"additional_params", Json::object()}}},
        {"sftp", {{"host", "h"}}, {{"host", "h"}, {"port", 22}}},
        {"ftp", {{"host", "h"}}, {{"host", "h"}, {"port", 21}}},
        {"ftps", {{"host", "h"}, {"port", 990}}, {{"host", "h"}, {"port", 990}}},
        {"webdav", {{"host", "h"}}, {{"host", "h"}, {"port", nullptr}, {"protocol", "https"}}},
        {"samba",
         {{"host", "h"}, {"share", "s"}},
         {{"host", "h"}, {"share", "s"}, {"port", nullptr}, {"protocol", "SMB"}, {"domain", ""}}},
    };
    for (const Case &c : cases) {
        EXPECT_EQ(ct::normalize_data(c.type, c.in), c.out) << c.type;
        // Normalizing again changes nothing.
        EXPECT_EQ(ct::normalize_data(c.type, c.out), c.out) << c.type;
    }
}

TEST(ConnectionData, EachFieldsInvalidValues) {
    const Json pg = {{"host", "pg"}, {"database_name", "db"}};
    auto with = [](Json base, const char *key, Json value) {
        base[key] = std::move(value);
        return base;
    };
    EXPECT_EQ(data_outcome("postgres", "text"), "22023 connection data: must be a JSON object");
    EXPECT_EQ(data_outcome("postgres", Json{{"host", "pg"}}),
              "22023 connection data: field \"database_name\" is required");
    EXPECT_EQ(data_outcome("postgres", with(pg, "color", "red")),
              "22023 connection data: unknown field \"color\"");
    EXPECT_EQ(syncmaster::testing::hint_of(
                  [&] { ct::normalize_data("postgres", with(pg, "color", "red")); }),
              "The fields of connection data here: host, port, database_name, additional_params.");
    EXPECT_EQ(data_outcome("postgres", with(pg, "host", 5)),
              "22023 connection data: field \"host\" must be a string");
    for (Json port : {Json(0), Json(65536), Json(-1), Json("5432"), Json(5432.5), Json(true)}) {
        EXPECT_EQ(data_outcome("postgres", with(pg, "port", port)),
                  "22023 connection data: field \"port\" must be an integer from 1 to 65535")
            << port;
    }
    EXPECT_EQ(data_outcome("postgres", with(pg, "port", nullptr)),
              "22023 connection data: field \"port\" must not be null");
    EXPECT_EQ(data_outcome("postgres", with(pg, "port", 65535)), "ok");
    EXPECT_EQ(data_outcome("postgres", with(pg, "port", 1)), "ok");
    EXPECT_EQ(data_outcome("postgres", with(pg, "additional_params", Json::array())),
              "22023 connection data: field \"additional_params\" must be a JSON object");
    EXPECT_EQ(data_outcome("mysql", {{"host", "h"}, {"database_name", 1}}),
              "22023 connection data: field \"database_name\" must be a string");

    EXPECT_EQ(data_outcome("oracle", {{"host", "o"}, {"sid", "a"}, {"service_name", "b"}}),
              "22023 connection data: You must specify either sid or service_name but not both");
    EXPECT_EQ(data_outcome("oracle", {{"host", "o"}}), "ok");

    const Json s3 = {{"host", "s3"}, {"bucket", "b"}, {"region", "r"}};
    EXPECT_EQ(data_outcome("s3", with(s3, "protocol", "ftp")),
              "22023 connection data: field \"protocol\" must be one of: http, https");
    EXPECT_EQ(data_outcome("s3", with(s3, "bucket_style", "vhost")),
              "22023 connection data: field \"bucket_style\" must be one of: domain, path");
    EXPECT_EQ(data_outcome("s3", Json{{"host", "s3"}, {"bucket", "b"}}),
              "22023 connection data: field \"region\" is required");
    EXPECT_EQ(ct::normalize_data("s3", with(s3, "port", 9000))["port"], 9000);

    EXPECT_EQ(data_outcome("webdav", {{"host", "h"}, {"protocol", "ftp"}}),
              "22023 connection data: field \"protocol\" must be one of: http, https");
    EXPECT_EQ(data_outcome("samba", {{"host", "h"}, {"share", "s"}, {"protocol", "smb"}}),
              "22023 connection data: field \"protocol\" must be one of: SMB, NetBIOS");
    EXPECT_EQ(data_outcome("hive", {{"cluster", "c"}, {"host", "h"}}),
              "22023 connection data: unknown field \"host\"");

    EXPECT_EQ(data_outcome("iceberg", {{"rest_catalog_url", "https://r"}}),
              "22023 connection data: field \"type\" must be one of: iceberg_rest_s3_direct, "
              "iceberg_rest_s3_delegated");
    const Json delegated = {{"type", "iceberg_rest_s3_delegated"},
                            {"rest_catalog_url", "https://r"}};
    EXPECT_EQ(data_outcome("iceberg", with(delegated, "rest_catalog_url", "ftp://r")),
              "22023 connection data: field \"rest_catalog_url\" must be an http or https URL");
    EXPECT_EQ(data_outcome("iceberg", with(delegated, "rest_catalog_url", "https://")),
              "22023 connection data: field \"rest_catalog_url\" must be an http or https URL");
    EXPECT_EQ(data_outcome("iceberg", with(delegated, "s3_access_delegation", "magic")),
              "22023 connection data: field \"s3_access_delegation\" must be one of: "
              "vended-credentials, remote-signing");
    EXPECT_EQ(data_outcome("iceberg", with(delegated, "s3_host", "s3")),
              "22023 connection data: unknown field \"s3_host\"");
}

namespace {

const Json kPostgres = ct::normalize_data("postgres", {{"host", "pg"}, {"database_name", "db"}});
const Json kDirect = ct::normalize_data("iceberg", {{"type", "iceberg_rest_s3_direct"},
                                                    {"rest_catalog_url", "https://rest"},
                                                    {"s3_warehouse_path", "/wh"},
                                                    {"s3_host", "s3"},
                                                    {"s3_bucket", "b"},
                                                    {"s3_region", "r"}});
const Json kDelegated = ct::normalize_data(
    "iceberg", {{"type", "iceberg_rest_s3_delegated"}, {"rest_catalog_url", "https://rest"}});

std::string auth_outcome(const std::string &type, const Json &data, const Json &auth,
                         const Json &previous = nullptr) {
    return outcome([&] { ct::normalize_auth(type, data, auth, previous); });
}

}  // namespace

TEST(ConnectionAuth, EveryAuthTypeWithItsSecrets) {
    EXPECT_EQ(ct::normalize_auth("postgres", kPostgres,
                                 {{"type", "basic"}, {"user", "u"}, {"password", "p"}}, nullptr),
              (Json{{"type", "basic"}, {"user", "u"}, {"password", "p"}}));
    EXPECT_EQ(ct::normalize_auth(
                  "s3", ct::normalize_data("s3", {{"host", "h"}, {"bucket", "b"}, {"region", "r"}}),
                  {{"type", "s3"}, {"access_key", "a"}, {"secret_key", "s"}}, nullptr),
              (Json{{"type", "s3"}, {"access_key", "a"}, {"secret_key", "s"}}));
    EXPECT_EQ(
        ct::normalize_auth("samba", ct::normalize_data("samba", {{"host", "h"}, {"share", "s"}}),
                           {{"type", "samba"}, {"user", "u"}, {"password", "p"}}, nullptr),
        (Json{{"type", "samba"}, {"user", "u"}, {"password", "p"}, {"auth_type", "NTLMv2"}}));
    EXPECT_EQ(ct::normalize_auth("iceberg", kDirect,
                                 {{"type", "iceberg_rest_bearer_s3_basic"},
                                  {"rest_catalog_token", "t"},
                                  {"s3_access_key", "a"},
                                  {"s3_secret_key", "s"}},
                                 nullptr)
                  .size(),
              4u);
    Json oauth = ct::normalize_auth("iceberg", kDirect,
                                    {{"type", "iceberg_rest_oauth2_client_credentials_s3_basic"},
                                     {"rest_catalog_oauth2_client_id", "id"},
                                     {"rest_catalog_oauth2_client_secret", "cs"},
                                     {"s3_access_key", "a"},
                                     {"s3_secret_key", "s"}},
                                    nullptr);
    EXPECT_EQ(oauth["rest_catalog_oauth2_scopes"], Json::array());
    EXPECT_TRUE(oauth["rest_catalog_oauth2_token_endpoint"].is_null());
    EXPECT_EQ(
        ct::normalize_auth("iceberg", kDelegated,
                           {{"type", "iceberg_rest_bearer"}, {"rest_catalog_token", "t"}}, nullptr),
        (Json{{"type", "iceberg_rest_bearer"}, {"rest_catalog_token", "t"}}));
    EXPECT_EQ(auth_outcome("iceberg", kDelegated,
                           {{"type", "iceberg_rest_oauth2_client_credentials"},
                            {"rest_catalog_oauth2_client_id", "id"},
                            {"rest_catalog_oauth2_client_secret", "cs"},
                            {"rest_catalog_oauth2_token_endpoint", "https://idp/token"},
                            {"rest_catalog_oauth2_scopes", {"catalog"}}}),
              "ok");
}

TEST(ConnectionAuth, ShapesThatDoNotFit) {
    EXPECT_EQ(auth_outcome("postgres", kPostgres,
                           {{"type", "s3"}, {"access_key", "a"}, {"secret_key", "s"}}),
              "22023 auth_data: field \"type\" must be one of: basic for a postgres connection");
    EXPECT_EQ(auth_outcome("postgres", kPostgres, {{"user", "u"}}),
              "22023 auth_data: field \"type\" must be one of: basic");
    EXPECT_EQ(auth_outcome("postgres", kPostgres, {{"type", "basic"}, {"user", "u"}}),
              "22023 auth_data: field \"password\" is required");
    EXPECT_EQ(
        auth_outcome("postgres", kPostgres, {{"type", "basic"}, {"user", "u"}, {"password", 1}}),
        "22023 auth_data: field \"password\" must be a string");
    EXPECT_EQ(auth_outcome("postgres", kPostgres,
                           {{"type", "basic"}, {"user", "u"}, {"password", "p"}, {"token", "x"}}),
              "22023 auth_data: unknown field \"token\"");
    EXPECT_EQ(auth_outcome("iceberg", kDirect,
                           {{"type", "iceberg_rest_bearer"}, {"rest_catalog_token", "t"}}),
              "22023 auth_data: Cannot create direct S3 connection without S3 credentials");
    EXPECT_EQ(auth_outcome("iceberg", kDelegated,
                           {{"type", "iceberg_rest_bearer_s3_basic"},
                            {"rest_catalog_token", "t"},
                            {"s3_access_key", "a"},
                            {"s3_secret_key", "s"}}),
              "22023 auth_data: Cannot create delegated S3 connection with S3 credentials");
    EXPECT_EQ(auth_outcome(
                  "samba", ct::normalize_data("samba", {{"host", "h"}, {"share", "s"}}),
                  {{"type", "samba"}, {"user", "u"}, {"password", "p"}, {"auth_type", "NTLMv3"}}),
              "22023 auth_data: field \"auth_type\" must be one of: NTLMv1, NTLMv2");
    EXPECT_EQ(auth_outcome("iceberg", kDelegated,
                           {{"type", "iceberg_rest_oauth2_client_credentials"},
                            {"rest_catalog_oauth2_client_id", "id"},
                            {"rest_catalog_oauth2_client_secret", "cs"},
                            {"rest_catalog_oauth2_scopes", "catalog"}}),
              "22023 auth_data: field \"rest_catalog_oauth2_scopes\" must be an array of strings");
}

TEST(ConnectionAuth, OmittedSecretsKeepTheOldOnesOnlyForTheSameType) {
    const Json previous = {{"type", "basic"}, {"user", "old"}, {"password", "secret"}};
    EXPECT_EQ(
        ct::normalize_auth("postgres", kPostgres, {{"type", "basic"}, {"user", "new"}}, previous),
        (Json{{"type", "basic"}, {"user", "new"}, {"password", "secret"}}));
    EXPECT_EQ(
        ct::normalize_auth("postgres", kPostgres,
                           {{"type", "basic"}, {"user", "new"}, {"password", nullptr}}, previous),
        (Json{{"type", "basic"}, {"user", "new"}, {"password", "secret"}}));
    EXPECT_EQ(ct::normalize_auth("postgres", kPostgres,
                                 {{"type", "basic"}, {"user", "new"}, {"password", "fresh"}},
                                 previous)["password"],
              "fresh");
    const Json bearer = {{"type", "iceberg_rest_bearer"}, {"rest_catalog_token", "t"}};
    EXPECT_EQ(
        auth_outcome("iceberg", kDelegated,
                     {{"type", "iceberg_rest_oauth2_client_credentials"},
                      {"rest_catalog_oauth2_client_id", "id"}},
                     bearer),
        "55000 You cannot update the connection auth type without providing a new secret value.");
}

TEST(ConnectionAuth, PublicViewHasNoSecrets) {
    EXPECT_EQ(ct::public_auth({{"type", "basic"}, {"user", "u"}, {"password", "p"}}),
              (Json{{"type", "basic"}, {"user", "u"}}));
    EXPECT_EQ(ct::public_auth({{"type", "iceberg_rest_bearer_s3_basic"},
                               {"rest_catalog_token", "t"},
                               {"s3_access_key", "a"},
                               {"s3_secret_key", "s"}}),
              (Json{{"type", "iceberg_rest_bearer_s3_basic"}, {"s3_access_key", "a"}}));
    EXPECT_EQ(ct::public_auth({{"type", "mystery"}, {"key", "k"}}), (Json{{"type", "mystery"}}));
}

TEST(PythonDumps, AsJsonDumpsWithSortedKeys) {
    EXPECT_EQ(ct::python_dumps({{"user", "u"}, {"type", "basic"}, {"password", "p\"w\u00e9"}}),
              "{\"password\": \"p\\\"w\u00e9\", \"type\": \"basic\", \"user\": \"u\"}");
    EXPECT_EQ(ct::python_dumps({{"scopes", {"a", "b"}}, {"n", nullptr}, {"port", 5}}),
              "{\"n\": null, \"port\": 5, \"scopes\": [\"a\", \"b\"]}");
    EXPECT_EQ(ct::python_dumps(Json::object()), "{}");
}

TEST(PythonDumps, SameTextAsPythonForSyncMastersCredentials) {
    std::ifstream in(std::string(SYNCMASTER_TESTDATA) + "/fernet/python.json");
    int compared = 0;
    for (const Json &v : Json::parse(in)) {
        std::string src = v["src"].get<std::string>();
        if (!src.empty() && src[0] == '{') {
            EXPECT_EQ(ct::python_dumps(Json::parse(src)), src);
            ++compared;
        }
    }
    EXPECT_EQ(compared, 2);
}
