#include "transfer/params.hpp"

#include <gtest/gtest.h>

#include <string>

#include "outcome.hpp"

namespace tp = syncmaster::core::transfer_params;
using Json = tp::Json;
using syncmaster::testing::outcome;

namespace {

std::string params(tp::Side side, const char *json) {
    return outcome([&] { tp::normalize_params(side, Json::parse(json)); });
}
std::string source(const char *json) {
    return params(tp::Side::kSource, json);
}
std::string target(const char *json) {
    return params(tp::Side::kTarget, json);
}
std::string strategy(const char *json, const char *source_type) {
    return outcome([&] { tp::normalize_strategy(Json::parse(json), source_type); });
}
std::string transformations(const char *json) {
    return outcome([&] { tp::normalize_transformations(Json::parse(json)); });
}
std::string resources(const char *json) {
    return outcome([&] { tp::normalize_resources(Json::parse(json)); });
}

}  // namespace

TEST(TransferParams, DatabaseTables) {
    for (const char *type : {"clickhouse", "hive", "mssql", "mysql", "oracle", "postgres"}) {
        std::string ok =
            std::string(R"({"type": ")") + type + R"(", "table_name": "public.orders"})";
        EXPECT_EQ(source(ok.c_str()), "ok") << type;
        EXPECT_EQ(target(ok.c_str()), "ok") << type;
    }
    EXPECT_EQ(source(R"({"type": "postgres", "table_name": "orders"})"),
              "22023 source_params.table_name: Table name should be in format myschema.mytable");
    EXPECT_EQ(target(R"({"type": "postgres", "table_name": "a.b.c"})"),
              "22023 target_params.table_name: Table name should be in format myschema.mytable");
    EXPECT_EQ(source(R"({"type": "postgres", "table_name": "a.b-c"})"),
              "22023 source_params.table_name: Table name should be in format myschema.mytable");
    EXPECT_EQ(source(R"({"type": "postgres", "table_name": "схема.таблица"})"), "ok");
    EXPECT_EQ(source(R"({"type": "iceberg", "table_name": "catalog.db.table"})"), "ok");
    EXPECT_EQ(source(R"({"type": "iceberg", "table_name": "db.table"})"), "ok");
    EXPECT_EQ(source(R"({"type": "iceberg", "table_name": "table"})"),
              "22023 source_params.table_name: Table name should be in format myschema.mytable");
    EXPECT_EQ(source(R"({"type": "postgres"})"), "22023 source_params.table_name: Field required");
    EXPECT_EQ(source(R"({"type": "postgres", "table_name": "a.b", "where": "x"})"),
              "22023 source_params: unknown field \"where\"");
    EXPECT_EQ(source(R"({"type": "mongodb", "table_name": "a.b"})"),
              "22023 source_params.type: Input should be one of: clickhouse, hive, iceberg, mssql, "
              "mysql, oracle, postgres, ftp, ftps, hdfs, s3, samba, sftp, webdav");
    EXPECT_EQ(source("[]"), "22023 source_params: must be a JSON object");
}

TEST(TransferParams, FileSourcesAndEveryFormat) {
    Json csv = tp::normalize_params(
        tp::Side::kSource,
        Json::parse(
            R"({"type": "s3", "directory_path": "/data", "file_format": {"type": "csv"}})"));
    EXPECT_EQ(csv["file_format"],
              Json::parse(R"({"type": "csv", "delimiter": ",", "encoding": "utf-8", "quote": "\"",
                               "escape": "\\", "include_header": false, "line_sep": "\n",
                               "compression": "gzip"})"));
    EXPECT_EQ(csv["options"], Json::object());
    for (const char *format :
         {R"({"type": "jsonline"})", R"({"type": "json", "compression": "none"})",
          R"({"type": "excel", "include_header": true, "start_cell": "A1"})",
          R"({"type": "xml", "root_tag": "rows", "row_tag": "row", "compression": "lz4"})",
          R"({"type": "orc"})", R"({"type": "parquet", "compression": "gzip"})"}) {
        std::string p =
            std::string(R"({"type": "sftp", "directory_path": "/in", "file_format": )") + format +
            R"(, "options": {"recursive": true}})";
        EXPECT_EQ(source(p.c_str()), "ok") << format;
    }
    EXPECT_EQ(source(R"({"type": "sftp", "directory_path": "in", "file_format": {"type": "csv"}})"),
              "22023 source_params.directory_path: Directory path must be absolute");
    EXPECT_EQ(
        source(
            R"({"type": "ftp", "directory_path": "/in", "file_format": {"type": "xml", "row_tag": "r"}})"),
        "22023 source_params.file_format.root_tag: Field required");
    EXPECT_EQ(
        source(
            R"({"type": "ftp", "directory_path": "/in", "file_format": {"type": "orc", "compression": "gzip"}})"),
        "22023 source_params.file_format.compression: Input should be one of: none, snappy, "
        "zlib, lz4");
    EXPECT_EQ(
        source(
            R"({"type": "ftp", "directory_path": "/in", "file_format": {"type": "xml", "root_tag": "a", "row_tag": "r", "compression": "deflate"}})"),
        "22023 source_params.file_format.compression: Input should be one of: none, bzip2, "
        "gzip, lz4, snappy");
    EXPECT_EQ(
        source(
            R"({"type": "ftp", "directory_path": "/in", "file_format": {"type": "csv", "include_header": "yes"}})"),
        "22023 source_params.file_format.include_header: Input should be a valid boolean");
    EXPECT_EQ(
        source(
            R"({"type": "ftp", "directory_path": "/in", "file_format": {"type": "csv", "sep": ";"}})"),
        "22023 source_params.file_format: unknown field \"sep\"");
    EXPECT_EQ(source(R"({"type": "ftp", "directory_path": "/in"})"),
              "22023 source_params.file_format: Field required");
    EXPECT_EQ(
        source(
            R"({"type": "ftp", "directory_path": "/in", "file_format": {"type": "csv"}, "file_name_template": "x"})"),
        "22023 source_params: unknown field \"file_name_template\"");
}

TEST(TransferParams, FileTargetsAndTemplates) {
    Json t = tp::normalize_params(
        tp::Side::kTarget,
        Json::parse(
            R"({"type": "hdfs", "directory_path": "/out", "file_format": {"type": "parquet"}})"));
    EXPECT_EQ(t["file_name_template"], "{run_created_at}-{index}.{extension}");
    EXPECT_EQ(
        target(R"({"type": "hdfs", "directory_path": "/out", "file_format": {"type": "json"}})"),
        "22023 target_params.file_format.type: Input should be one of: csv, jsonline, excel, "
        "xml, orc, parquet");
    auto with_template = [](const char *tmpl) {
        std::string p =
            std::string(
                R"({"type": "s3", "directory_path": "/out", "file_format": {"type": "csv"}, "file_name_template": ")") +
            tmpl + "\"}";
        return target(p.c_str());
    };
    EXPECT_EQ(with_template("{run_id}_{index}.{extension}"), "ok");
    EXPECT_EQ(with_template("out {index}.{extension}"),
              "22023 target_params.file_name_template: Template contains invalid characters. "
              "Allowed: letters, numbers, '.', '_', '-', '{', '}'");
    EXPECT_EQ(
        with_template("{run_id}.csv"),
        "22023 target_params.file_name_template: Missing required placeholders: extension, index");
    EXPECT_EQ(
        with_template("{index}.{extension}"),
        "22023 target_params.file_name_template: At least one of placeholders must be present: "
        "{run_id} or {run_created_at}");
    EXPECT_EQ(with_template("{run_id}-{index}-{day}.{extension}"),
              "22023 target_params.file_name_template: Invalid placeholder: 'day'");
}

TEST(TransferParams, Strategies) {
    EXPECT_EQ(tp::normalize_strategy(Json::parse(R"({"type": "full"})"), "s3"),
              Json::parse(R"({"type": "full"})"));
    EXPECT_EQ(strategy(R"({"type": "incremental", "increment_by": "updated_at"})", "postgres"),
              "ok");
    EXPECT_EQ(strategy(R"({"type": "incremental", "increment_by": "file_name"})", "sftp"), "ok");
    EXPECT_EQ(strategy(R"({"type": "incremental", "increment_by": "file_modified_since"})", "ftp"),
              "ok");
    EXPECT_EQ(strategy(R"({"type": "incremental", "increment_by": "updated_at"})", "sftp"),
              "22023 strategy_params.increment_by: Field 'increment_by' must be equal to "
              "'file_modified_since' or 'file_name' for file source types");
    EXPECT_EQ(strategy(R"({"type": "incremental", "increment_by": "file_name"})", "s3"),
              "22023 strategy_params.type: S3 and HDFS sources do not support incremental strategy "
              "for now");
    EXPECT_EQ(strategy(R"({"type": "incremental", "increment_by": "file_name"})", "hdfs"),
              "22023 strategy_params.type: S3 and HDFS sources do not support incremental strategy "
              "for now");
    EXPECT_EQ(strategy(R"({"type": "incremental"})", "postgres"),
              "22023 strategy_params.increment_by: Field required");
    EXPECT_EQ(strategy(R"({"type": "snapshot"})", "postgres"),
              "22023 strategy_params.type: Input should be one of: full, incremental");
}

TEST(TransferParams, Transformations) {
    EXPECT_EQ(transformations(R"([
        {"type": "dataframe_rows_filter", "filters": [
            {"type": "is_null", "field": "a"}, {"type": "equal", "field": "b", "value": "1"},
            {"type": "regexp", "field": "c", "value": "^x"}]},
        {"type": "dataframe_columns_filter", "filters": [
            {"type": "include", "field": "a"}, {"type": "rename", "field": "b", "to": "bb"},
            {"type": "cast", "field": "c", "as_type": "int"}]},
        {"type": "file_metadata_filter", "filters": [
            {"type": "name_glob", "value": "*.csv"}, {"type": "name_regexp", "value": "^a.*"},
            {"type": "file_size_min", "value": "1kb"}, {"type": "file_size_max", "value": 5000}]},
        {"type": "sql", "query": "  with t as (select 1) select * from t", "dialect": "spark"}])"),
              "ok");
    Json sizes = tp::normalize_transformations(Json::parse(
        R"([{"type": "file_metadata_filter", "filters": [{"type": "file_size_min", "value": "1kb"},
                                                         {"type": "file_size_max", "value": "2 MiB"}]}])"));
    EXPECT_EQ(sizes[0]["filters"][0]["value"], 1000);
    EXPECT_EQ(sizes[0]["filters"][1]["value"], 2097152);
    EXPECT_EQ(
        transformations(
            R"([{"type": "file_metadata_filter", "filters": [{"type": "name_glob", "value": ".csv"}]}])"),
        "22023 transformations[0].filters[0].value: Invalid glob: '.csv'");
    EXPECT_EQ(
        transformations(
            R"([{"type": "file_metadata_filter", "filters": [{"type": "name_regexp", "value": "[a-z"}]}])"),
        "22023 transformations[0].filters[0].value: Invalid regexp: '[a-z'");
    EXPECT_EQ(
        transformations(
            R"([{"type": "dataframe_rows_filter", "filters": [{"type": "equal", "field": "a"}]}])"),
        "22023 transformations[0].filters[0].value: Field required");
    EXPECT_EQ(
        transformations(
            R"([{"type": "dataframe_rows_filter", "filters": [{"type": "between", "field": "a"}]}])"),
        "22023 transformations[0].filters[0].type: Input should be one of: is_null, "
        "is_not_null, equal, not_equal, greater_than, greater_or_equal, less_than, "
        "less_or_equal, like, ilike, not_like, not_ilike, regexp");
    EXPECT_EQ(
        transformations(R"([{"type": "sql", "query": "DELETE FROM t"}])"),
        "22023 transformations[0].query: Query must be a SELECT statement, got 'DELETE FROM t'");
    EXPECT_EQ(transformations(R"([{"type": "sql", "query": "SELECT 1; DROP TABLE t"}])"),
              "22023 transformations[0].query: Query must be a single statement");
    EXPECT_EQ(transformations(R"([{"type": "sql", "query": "SELECT ';' AS x -- ; \n ;"}])"), "ok");
    EXPECT_EQ(transformations(R"([{"type": "sql", "query": "SELECT 1", "dialect": "trino"}])"),
              "22023 transformations[0].dialect: Input should be one of: spark");
    EXPECT_EQ(transformations(R"([{"type": "pivot"}])"),
              "22023 transformations[0].type: Input should be one of: dataframe_rows_filter, "
              "dataframe_columns_filter, file_metadata_filter, sql");
    EXPECT_EQ(transformations(R"({"type": "sql"})"),
              "22023 transformations: Input should be a valid list");
}

TEST(TransferParams, ResourcesAndByteSizes) {
    EXPECT_EQ(tp::normalize_resources(nullptr),
              Json::parse(R"({"max_parallel_tasks": 1, "cpu_cores_per_task": 1,
                               "ram_bytes_per_task": 1073741824})"));
    EXPECT_EQ(tp::normalize_resources(
                  Json::parse(R"({"ram_bytes_per_task": "2GiB"})"))["ram_bytes_per_task"],
              2147483648LL);
    EXPECT_EQ(
        resources(
            R"({"max_parallel_tasks": 100, "cpu_cores_per_task": 32, "ram_bytes_per_task": 68719476736})"),
        "ok");
    EXPECT_EQ(resources(R"({"max_parallel_tasks": 0})"),
              "22023 resources.max_parallel_tasks: Input should be greater than or equal to 1");
    EXPECT_EQ(resources(R"({"max_parallel_tasks": 101})"),
              "22023 resources.max_parallel_tasks: Input should be less than or equal to 100");
    EXPECT_EQ(resources(R"({"cpu_cores_per_task": 33})"),
              "22023 resources.cpu_cores_per_task: Input should be less than or equal to 32");
    EXPECT_EQ(resources(R"({"cpu_cores_per_task": "2"})"),
              "22023 resources.cpu_cores_per_task: Input should be a valid integer");
    EXPECT_EQ(
        resources(R"({"ram_bytes_per_task": 536870911})"),
        "22023 resources.ram_bytes_per_task: Input should be greater than or equal to 536870912");
    EXPECT_EQ(
        resources(R"({"ram_bytes_per_task": "65GiB"})"),
        "22023 resources.ram_bytes_per_task: Input should be less than or equal to 68719476736");
    EXPECT_EQ(
        resources(R"({"ram_bytes_per_task": "lots"})"),
        "22023 resources.ram_bytes_per_task: could not parse value and unit from byte string");
    EXPECT_EQ(resources(R"({"ram_bytes_per_task": "2 parsecs"})"),
              "22023 resources.ram_bytes_per_task: could not interpret byte unit: parsecs");
    EXPECT_EQ(resources(R"({"gpus": 1})"), "22023 resources: unknown field \"gpus\"");
    EXPECT_EQ(syncmaster::testing::hint_of(
                  [] { tp::normalize_resources(Json::parse(R"({"gpus": 1})")); }),
              "The fields of resources here: max_parallel_tasks, cpu_cores_per_task, "
              "ram_bytes_per_task.");
}
