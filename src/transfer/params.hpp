// The parameters of a transfer: what it reads and writes
// (source_params, target_params), how (strategy_params), what it changes on the way
// (transformations) and with what (resources). Each function validates one document, fills in
// SyncMaster's defaults and returns it normalized; a refusal is Error 22023 whose message starts
// with the path of the field: "source_params.table_name: Table name should be in format
// myschema.mytable". Unknown keys are refused, as in connection data.
#pragma once

#include "core/pure.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace syncmaster::core::transfer_params {

using Json = nlohmann::json;

enum class Side { kSource, kTarget };

// Whether connections of this type hold tables (clickhouse, hive, iceberg, mssql, mysql, oracle,
// postgres) rather than files (ftp, ftps, hdfs, s3, samba, sftp, webdav).
bool is_database_type(std::string_view type);

// source_params or target_params. Databases: {type, table_name}, table_name "schema.table"
// (iceberg: two or more parts). Files: {type, directory_path (absolute), file_format, options},
// targets also file_name_template; a target's file_format is not json.
Json normalize_params(Side side, const Json &params);

// {"type": "full"} or {"type": "incremental", "increment_by": ...}: not for s3 or hdfs sources;
// other file sources by file_modified_since or file_name; databases by a column.
Json normalize_strategy(const Json &strategy, std::string_view source_type);

// A list of dataframe_rows_filter, dataframe_columns_filter, file_metadata_filter and sql items.
Json normalize_transformations(const Json &transformations);

// max_parallel_tasks 1..100, cpu_cores_per_task 1..32, ram_bytes_per_task 512 MiB..64 GiB (a
// number of bytes, or a size such as "2GiB"); null is the defaults 1, 1, 1 GiB.
Json normalize_resources(const Json &resources);

// A pydantic ByteSize: a number of bytes, or "<number> <unit>" with b, kb, mb, gb, tb, pb, eb
// (powers of 1000) or kib, mib, gib, tib, pib, eib (powers of 1024), in any case. Throws Error
// 22023 "<path>: ..." otherwise.
long long byte_size(const Json &value, const std::string &path);

}  // namespace syncmaster::core::transfer_params
