#include "transfer/rules.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "entity_fixture.hpp"

using namespace syncmaster::testing;
namespace transfer = syncmaster::core::transfer;
using Json = nlohmann::json;

namespace {

const std::string kForbidden = "42501 You have no power here";

transfer::Row row() {
    transfer::Row r;
    r.id = 301;
    r.group_id = 10;
    r.name = "daily copy";
    r.source_connection_id = 100;
    r.target_connection_id = 101;
    r.queue_id = 200;
    r.source_params = R"({"type": "postgres", "table_name": "public.orders"})";
    r.target_params =
        R"({"type": "s3", "directory_path": "/orders", "file_format": {"type": "parquet"}})";
    return r;
}

}  // namespace

TEST(Transfer, DevelopersCreateWithDefaultsFilledIn) {
    FakeLookup w = world();
    transfer::Outcome out = transfer::on_insert(kDeveloper, row(), w);
    EXPECT_EQ(Json::parse(*out.strategy_params), Json::parse(R"({"type": "full"})"));
    EXPECT_EQ(Json::parse(*out.transformations), Json::array());
    EXPECT_EQ(Json::parse(*out.resources)["ram_bytes_per_task"], 1073741824);
    EXPECT_EQ(Json::parse(*out.target_params)["file_name_template"],
              "{run_created_at}-{index}.{extension}");
    EXPECT_EQ(*out.schedule, "");
    EXPECT_EQ(outcome([&] { transfer::on_insert(kGuest, row(), w); }), kForbidden);
    EXPECT_EQ(outcome([&] { transfer::on_insert(kStranger, row(), w); }), "P0002 Group not found");
}

TEST(Transfer, ConnectionsAndQueueExistAreVisibleAndInTheGroup) {
    FakeLookup w = world();
    auto r = row();
    r.target_connection_id = 999;
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "P0002 Connection not found");
    r = row();
    r.source_connection_id = 102;  // another group's, invisible to bob
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "P0002 Connection not found");
    EXPECT_EQ(outcome([&] { transfer::on_insert(kRoot, r, w); }),
              "22023 Connections should belong to the transfer group");
    r = row();
    r.queue_id = 201;
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }), "P0002 Queue not found");
    EXPECT_EQ(outcome([&] { transfer::on_insert(kRoot, r, w); }),
              "22023 Queue should belong to the transfer group");
}

TEST(Transfer, ParamsTypesAreTheirConnections) {
    FakeLookup w = world();
    auto r = row();
    r.target_params = R"({"type": "postgres", "table_name": "a.b"})";
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "22023 Target connection has type `s3` but its params has `postgres` type");
    r = row();
    r.source_params = R"({"type": "oracle", "table_name": "a.b"})";
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "22023 Source connection has type `postgres` but its params has `oracle` type");
    r = row();
    r.source_params = R"({"type": "postgres", "table_name": "orders"})";
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "22023 source_params.table_name: Table name should be in format myschema.mytable");
    r = row();
    r.strategy_params = R"({"type": "incremental", "increment_by": "updated_at"})";
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }), "ok");
    r.source_connection_id = 101;
    r.target_connection_id = 100;
    std::swap(r.source_params, r.target_params);
    r.source_params = R"({"type": "s3", "directory_path": "/in", "file_format": {"type": "csv"}})";
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "22023 strategy_params.type: S3 and HDFS sources do not support incremental strategy "
              "for now");
}

TEST(Transfer, NamesAndSchedules) {
    FakeLookup w = world();
    auto r = row();
    r.name = "nightly load";
    EXPECT_EQ(
        outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
        "23505 The transfer name already exists in the target group, please specify a new one");
    r.name = "xy";
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "22023 transfer name must have 3 to 128 characters");
    r = row();
    r.is_scheduled = true;
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "22023 schedule: If transfer must be scheduled then set schedule");
    r.schedule = "61 * * * *";
    EXPECT_EQ(outcome([&] { transfer::on_insert(kDeveloper, r, w); }),
              "22023 schedule: field \"minute\" (\"61\"): 61 is out of range 0-59");
    r.schedule = "*/5 * * * *";
    EXPECT_EQ(*transfer::on_insert(kDeveloper, r, w).schedule, "*/5 * * * *");
    EXPECT_EQ(transfer::check_schedule(false, std::nullopt), "");
    EXPECT_EQ(outcome([&] { transfer::check_schedule(false, std::string(33, '*')); }),
              "22023 schedule: must have at most 32 characters");
}

TEST(Transfer, UpdatesCheckWhatChangedAndNeverMoveGroups) {
    FakeLookup w = world();
    auto before = row();
    transfer::Outcome normalized = transfer::on_insert(kDeveloper, before, w);
    before.source_params = normalized.source_params;
    before.target_params = normalized.target_params;
    auto after = before;
    after.name = "daily copy v2";
    transfer::Outcome out = transfer::on_update(kDeveloper, before, after, w);
    EXPECT_FALSE(out.source_params) << "unchanged params are not parsed again";
    EXPECT_FALSE(out.schedule);
    EXPECT_EQ(outcome([&] { transfer::on_update(kGuest, before, before, w); }), kForbidden);
}

TEST(Transfer, MaintainersDelete) {
    FakeLookup w = world();
    EXPECT_EQ(outcome([&] { transfer::on_delete(kDeveloper, row(), w); }), kForbidden);
    EXPECT_EQ(outcome([&] { transfer::on_delete(kMaintainer, row(), w); }), "ok");
}

TEST(Transfer, JobNamesFitPgCron) {
    EXPECT_EQ(transfer::job_name(42), "syncmaster_transfer_42");
    EXPECT_LE(transfer::job_name(9223372036854775807LL).size(), 63u);
    EXPECT_EQ(transfer::job_command(42), "SELECT syncmaster.fire_scheduled_transfer(42)");
}

TEST(Transfer, ExtensionJobsAreKnownByNameAndCommand) {
    EXPECT_TRUE(transfer::is_extension_job("syncmaster_transfer_7",
                                           "SELECT syncmaster.fire_scheduled_transfer(7)"));
    EXPECT_TRUE(transfer::is_extension_job(transfer::job_name(9223372036854775807LL),
                                           transfer::job_command(9223372036854775807LL)));
    EXPECT_TRUE(transfer::is_extension_job("syncmaster_reap_stale_runs",
                                           "SELECT syncmaster.reap_stale_runs()"));
    EXPECT_FALSE(transfer::is_extension_job("syncmaster_transfer_7",
                                            "SELECT syncmaster.fire_scheduled_transfer(8)"));
    EXPECT_FALSE(transfer::is_extension_job("syncmaster_transfer_7", "SELECT 1"));
    EXPECT_FALSE(transfer::is_extension_job("syncmaster_transfer_abc", "SELECT 1"));
    EXPECT_FALSE(transfer::is_extension_job("syncmaster_transfer_07",
                                            "SELECT syncmaster.fire_scheduled_transfer(07)"));
    EXPECT_FALSE(transfer::is_extension_job("syncmaster_transfer_", ""));
    EXPECT_FALSE(transfer::is_extension_job(
        "syncmaster_transfer_99999999999999999999",
        "SELECT syncmaster.fire_scheduled_transfer(99999999999999999999)"));
    EXPECT_FALSE(transfer::is_extension_job("syncmaster_reap_stale_runs", "SELECT 3"));
    EXPECT_TRUE(
        transfer::is_extension_job("syncmaster_purge_runs", "SELECT syncmaster.purge_runs()"));
    EXPECT_FALSE(transfer::is_extension_job("syncmaster_purge_runs", "DELETE FROM syncmaster.run"));
}
