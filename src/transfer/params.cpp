#include "transfer/params.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>
#include <set>
#include <vector>

namespace syncmaster::core::transfer_params {

namespace {

using Names = std::vector<std::string>;

[[noreturn]] void refuse(const std::string &path, const std::string &message) {
    throw Error(sqlstate::kInvalidInput, path + ": " + message);
}

std::string joined(const Names &values) {
    std::string out;
    for (const std::string &v : values) {
        out += (out.empty() ? "" : ", ") + v;
    }
    return out;
}

bool one_of(const Names &values, const std::string &value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

std::string child(const std::string &path, const std::string &key) {
    return path + "." + key;
}

std::string element(const std::string &path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

// The object at `path`, with only `keys` allowed.
const Json &object(const Json &value, const std::string &path, const Names &keys) {
    if (!value.is_object()) {
        refuse(path, "must be a JSON object");
    }
    for (const auto &item : value.items()) {
        if (!one_of(keys, item.key())) {
            throw Error(sqlstate::kInvalidInput, path + ": unknown field \"" + item.key() + "\"",
                        {}, "The fields of " + path + " here: " + joined(keys) + ".");
        }
    }
    return value;
}

const Json *member(const Json &object, const char *key) {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string required_string(const Json &object, const char *key, const std::string &path) {
    const Json *v = member(object, key);
    if (v == nullptr) {
        refuse(child(path, key), "Field required");
    }
    if (!v->is_string()) {
        refuse(child(path, key), "Input should be a valid string");
    }
    return v->get<std::string>();
}

// The value of `key` as a string from `allowed`, `fallback` when missing.
std::string choice(const Json &object, const char *key, const std::string &path,
                   const Names &allowed, const char *fallback) {
    const Json *v = member(object, key);
    if (v == nullptr) {
        if (fallback == nullptr) {
            refuse(child(path, key), "Field required");
        }
        return fallback;
    }
    if (!v->is_string() || !one_of(allowed, v->get<std::string>())) {
        refuse(child(path, key), "Input should be one of: " + joined(allowed));
    }
    return v->get<std::string>();
}

// `type` of a discriminated union.
std::string tag(const Json &value, const std::string &path, const Names &tags) {
    if (!value.is_object()) {
        refuse(path, "must be a JSON object");
    }
    const Json *t = member(value, "type");
    if (t == nullptr) {
        refuse(child(path, "type"), "Field required; use one of: " + joined(tags));
    }
    if (!t->is_string() || !one_of(tags, t->get<std::string>())) {
        refuse(child(path, "type"), "Input should be one of: " + joined(tags));
    }
    return t->get<std::string>();
}

const Names kDatabaseTypes = {"clickhouse", "hive",   "iceberg", "mssql",
                              "mysql",      "oracle", "postgres"};
const Names kFileTypes = {"ftp", "ftps", "hdfs", "s3", "samba", "sftp", "webdav"};

// Python's \w for table names: ASCII letters, digits and '_', and any non-ASCII character.
bool word(unsigned char c) {
    return std::isalnum(c) || c == '_' || c >= 0x80;
}

void check_table_name(const std::string &name, bool iceberg, const std::string &path) {
    std::size_t parts = 1;
    bool ok = !name.empty();
    char previous = '.';
    for (char c : name) {
        if (c == '.') {
            ok = ok && previous != '.';
            ++parts;
        } else if (!word(static_cast<unsigned char>(c))) {
            ok = false;
        }
        previous = c;
    }
    ok = ok && previous != '.' && (iceberg ? parts >= 2 : parts == 2);
    if (!ok) {
        refuse(path, "Table name should be in format myschema.mytable");
    }
}

const Names kAllCompressions = {"none", "bzip2", "gzip", "lz4", "snappy", "deflate"};

Json file_format(const Json &value, const std::string &path, Side side) {
    Names formats = {"csv", "jsonline", "json", "excel", "xml", "orc", "parquet"};
    if (side == Side::kTarget) {
        formats.erase(std::find(formats.begin(), formats.end(), "json"));
    }
    std::string type = tag(value, path, formats);
    Json out = {{"type", type}};
    auto text = [&](const char *key, const char *fallback, const Names &keys) {
        object(value, path, keys);
        const Json *v = member(value, key);
        if (v != nullptr && !v->is_string()) {
            refuse(child(path, key), "Input should be a valid string");
        }
        out[key] = v != nullptr ? *v : Json(fallback);
    };
    auto flag = [&](const char *key) {
        const Json *v = member(value, key);
        if (v != nullptr && !v->is_boolean()) {
            refuse(child(path, key), "Input should be a valid boolean");
        }
        out[key] = v != nullptr ? *v : Json(false);
    };
    auto compression = [&](const Names &allowed, const char *fallback) {
        out["compression"] = choice(value, "compression", path, allowed, fallback);
    };
    if (type == "csv") {
        Names keys = {"type",   "delimiter",      "encoding", "quote",
                      "escape", "include_header", "line_sep", "compression"};
        text("delimiter", ",", keys);
        text("encoding", "utf-8", keys);
        text("quote", "\"", keys);
        text("escape", "\\", keys);
        flag("include_header");
        text("line_sep", "\n", keys);
        compression(kAllCompressions, "gzip");
    } else if (type == "jsonline" || type == "json") {
        Names keys = {"type", "encoding", "line_sep", "compression"};
        text("encoding", "utf-8", keys);
        text("line_sep", "\n", keys);
        compression(kAllCompressions, "gzip");
    } else if (type == "excel") {
        object(value, path, {"type", "include_header", "start_cell"});
        flag("include_header");
        const Json *cell = member(value, "start_cell");
        if (cell != nullptr && !cell->is_string()) {
            refuse(child(path, "start_cell"), "Input should be a valid string");
        }
        out["start_cell"] = cell != nullptr ? *cell : Json(nullptr);
    } else if (type == "xml") {
        object(value, path, {"type", "root_tag", "row_tag", "compression"});
        out["root_tag"] = required_string(value, "root_tag", path);
        out["row_tag"] = required_string(value, "row_tag", path);
        compression({"none", "bzip2", "gzip", "lz4", "snappy"}, "gzip");
    } else if (type == "orc") {
        object(value, path, {"type", "compression"});
        compression({"none", "snappy", "zlib", "lz4"}, "zlib");
    } else {
        object(value, path, {"type", "compression"});
        compression({"none", "snappy", "gzip", "lz4"}, "snappy");
    }
    return out;
}

const char *kTemplatePlaceholders[] = {"index", "extension", "run_id", "run_created_at"};

void check_file_name_template(const std::string &text, const std::string &path) {
    bool valid = !text.empty();
    for (char c : text) {
        unsigned char u = static_cast<unsigned char>(c);
        valid = valid && (word(u) || c == '.' || c == '{' || c == '}' || c == '-');
    }
    if (!valid) {
        refuse(path,
               "Template contains invalid characters. Allowed: letters, numbers, '.', '_', "
               "'-', '{', '}'");
    }
    std::set<std::string> found;
    std::vector<std::string> order;
    for (std::size_t open = text.find('{'); open != std::string::npos;
         open = text.find('{', open + 1)) {
        std::size_t close = text.find('}', open);
        if (close == std::string::npos) {
            break;
        }
        std::string name = text.substr(open + 1, close - open - 1);
        if (found.insert(name).second) {
            order.push_back(name);
        }
    }
    Names missing;
    for (const char *required : {"extension", "index"}) {
        if (!found.count(required)) {
            missing.push_back(required);
        }
    }
    if (!missing.empty()) {
        refuse(path, "Missing required placeholders: " + joined(missing));
    }
    if (!found.count("run_id") && !found.count("run_created_at")) {
        refuse(path, "At least one of placeholders must be present: {run_id} or {run_created_at}");
    }
    for (const std::string &name : order) {
        if (std::none_of(std::begin(kTemplatePlaceholders), std::end(kTemplatePlaceholders),
                         [&](const char *p) { return name == p; })) {
            refuse(path, "Invalid placeholder: '" + name + "'");
        }
    }
}

const Names kRowFiltersWithValue = {
    "equal", "not_equal", "greater_than", "greater_or_equal", "less_than", "less_or_equal",
    "like",  "ilike",     "not_like",     "not_ilike",        "regexp"};

Json filters(const Json &item, const std::string &path, const Names &tags,
             Json (*one)(const Json &, const std::string &, const std::string &)) {
    const Json *list = member(item, "filters");
    std::string list_path = child(path, "filters");
    if (list == nullptr) {
        refuse(list_path, "Field required");
    }
    if (!list->is_array()) {
        refuse(list_path, "Input should be a valid list");
    }
    Json out = Json::array();
    for (std::size_t i = 0; i < list->size(); ++i) {
        std::string p = element(list_path, i);
        std::string type = tag((*list)[i], p, tags);
        out.push_back(one((*list)[i], p, type));
    }
    return out;
}

Json row_filter(const Json &f, const std::string &path, const std::string &type) {
    if (type == "is_null" || type == "is_not_null") {
        object(f, path, {"type", "field"});
        return {{"type", type}, {"field", required_string(f, "field", path)}};
    }
    object(f, path, {"type", "field", "value"});
    return {{"type", type},
            {"field", required_string(f, "field", path)},
            {"value", required_string(f, "value", path)}};
}

Json column_filter(const Json &f, const std::string &path, const std::string &type) {
    if (type == "include") {
        object(f, path, {"type", "field"});
        return {{"type", type}, {"field", required_string(f, "field", path)}};
    }
    if (type == "rename") {
        object(f, path, {"type", "field", "to"});
        return {{"type", type},
                {"field", required_string(f, "field", path)},
                {"to", required_string(f, "to", path)}};
    }
    object(f, path, {"type", "field", "as_type"});
    return {{"type", type},
            {"field", required_string(f, "field", path)},
            {"as_type", required_string(f, "as_type", path)}};
}

Json metadata_filter(const Json &f, const std::string &path, const std::string &type) {
    object(f, path, {"type", "value"});
    std::string value_path = child(path, "value");
    if (type == "file_size_min" || type == "file_size_max") {
        const Json *v = member(f, "value");
        if (v == nullptr) {
            refuse(value_path, "Field required");
        }
        return {{"type", type}, {"value", byte_size(*v, value_path)}};
    }
    std::string value = required_string(f, "value", path);
    if (type == "name_glob") {
        if (value.find_first_of("*?[") == std::string::npos) {
            refuse(value_path, "Invalid glob: '" + value + "'");
        }
    } else {
        try {
            std::regex check(value, std::regex::ECMAScript);
        } catch (const std::regex_error &) {
            refuse(value_path, "Invalid regexp: '" + value + "'");
        }
    }
    return {{"type", type}, {"value", value}};
}

// Whether `query` is one statement: a ';' outside quotes and comments may only end it.
bool single_statement(const std::string &query) {
    std::size_t i = 0, n = query.size();
    while (i < n) {
        char c = query[i];
        if (c == '\'' || c == '"' || c == '`') {
            std::size_t close = query.find(c, i + 1);
            if (close == std::string::npos) {
                return true;  // an unterminated literal: the engine will say so
            }
            i = close + 1;
        } else if (c == '-' && i + 1 < n && query[i + 1] == '-') {
            std::size_t end = query.find('\n', i);
            i = end == std::string::npos ? n : end + 1;
        } else if (c == '/' && i + 1 < n && query[i + 1] == '*') {
            std::size_t end = query.find("*/", i + 2);
            i = end == std::string::npos ? n : end + 2;
        } else if (c == ';') {
            return query.find_first_not_of(" \t\r\n;", i) == std::string::npos;
        } else {
            ++i;
        }
    }
    return true;
}

Json sql(const Json &item, const std::string &path) {
    object(item, path, {"type", "query", "dialect"});
    std::string query = required_string(item, "query", path);
    static const std::regex kSelect(R"(^\s*(SELECT|WITH)\b)", std::regex::icase);
    if (!std::regex_search(query, kSelect)) {
        refuse(child(path, "query"), "Query must be a SELECT statement, got '" + query + "'");
    }
    if (!single_statement(query)) {
        refuse(child(path, "query"), "Query must be a single statement");
    }
    return {{"type", "sql"},
            {"query", query},
            {"dialect", choice(item, "dialect", path, {"spark"}, "spark")}};
}

long long bounded_int(const Json &resources, const char *key, const std::string &path,
                      long long low, long long high, long long fallback) {
    const Json *v = member(resources, key);
    if (v == nullptr) {
        return fallback;
    }
    if (!v->is_number_integer()) {
        refuse(child(path, key), "Input should be a valid integer");
    }
    long long n = v->get<long long>();
    if (n < low) {
        refuse(child(path, key), "Input should be greater than or equal to " + std::to_string(low));
    }
    if (n > high) {
        refuse(child(path, key), "Input should be less than or equal to " + std::to_string(high));
    }
    return n;
}

}  // namespace

bool is_database_type(std::string_view type) {
    return one_of(kDatabaseTypes, std::string(type));
}

Json normalize_params(Side side, const Json &params) {
    std::string path = side == Side::kSource ? "source_params" : "target_params";
    Names types = kDatabaseTypes;
    types.insert(types.end(), kFileTypes.begin(), kFileTypes.end());
    std::string type = tag(params, path, types);
    if (is_database_type(type)) {
        object(params, path, {"type", "table_name"});
        std::string table = required_string(params, "table_name", path);
        check_table_name(table, type == "iceberg", child(path, "table_name"));
        return {{"type", type}, {"table_name", table}};
    }
    Names keys = {"type", "directory_path", "file_format", "options"};
    if (side == Side::kTarget) {
        keys.push_back("file_name_template");
    }
    object(params, path, keys);
    std::string directory = required_string(params, "directory_path", path);
    if (directory.empty() || directory.front() != '/') {
        refuse(child(path, "directory_path"), "Directory path must be absolute");
    }
    const Json *format = member(params, "file_format");
    if (format == nullptr) {
        refuse(child(path, "file_format"), "Field required");
    }
    Json out = {{"type", type},
                {"directory_path", directory},
                {"file_format", file_format(*format, child(path, "file_format"), side)}};
    const Json *options = member(params, "options");
    if (options != nullptr && !options->is_object()) {
        refuse(child(path, "options"), "must be a JSON object");
    }
    out["options"] = options != nullptr ? *options : Json::object();
    if (side == Side::kTarget) {
        const Json *t = member(params, "file_name_template");
        if (t != nullptr && !t->is_string()) {
            refuse(child(path, "file_name_template"), "Input should be a valid string");
        }
        std::string text =
            t != nullptr ? t->get<std::string>() : "{run_created_at}-{index}.{extension}";
        check_file_name_template(text, child(path, "file_name_template"));
        out["file_name_template"] = text;
    }
    return out;
}

Json normalize_strategy(const Json &strategy, std::string_view source_type) {
    const std::string path = "strategy_params";
    std::string type = tag(strategy, path, {"full", "incremental"});
    if (type == "full") {
        object(strategy, path, {"type"});
        return {{"type", "full"}};
    }
    object(strategy, path, {"type", "increment_by"});
    if (source_type == "s3" || source_type == "hdfs") {
        refuse(child(path, "type"),
               "S3 and HDFS sources do not support incremental strategy for now");
    }
    std::string by = required_string(strategy, "increment_by", path);
    if (!is_database_type(source_type) && by != "file_modified_since" && by != "file_name") {
        refuse(
            child(path, "increment_by"),
            "Field 'increment_by' must be equal to 'file_modified_since' or 'file_name' for file "
            "source types");
    }
    if (by.empty()) {
        refuse(child(path, "increment_by"), "String should have at least 1 character");
    }
    return {{"type", "incremental"}, {"increment_by", by}};
}

Json normalize_transformations(const Json &transformations) {
    const std::string path = "transformations";
    if (transformations.is_null()) {
        return Json::array();
    }
    if (!transformations.is_array()) {
        refuse(path, "Input should be a valid list");
    }
    Json out = Json::array();
    for (std::size_t i = 0; i < transformations.size(); ++i) {
        const Json &item = transformations[i];
        std::string p = element(path, i);
        std::string type = tag(
            item, p,
            {"dataframe_rows_filter", "dataframe_columns_filter", "file_metadata_filter", "sql"});
        if (type == "sql") {
            out.push_back(sql(item, p));
            continue;
        }
        object(item, p, {"type", "filters"});
        Json list;
        if (type == "dataframe_rows_filter") {
            Names tags = {"is_null", "is_not_null"};
            tags.insert(tags.end(), kRowFiltersWithValue.begin(), kRowFiltersWithValue.end());
            list = filters(item, p, tags, row_filter);
        } else if (type == "dataframe_columns_filter") {
            list = filters(item, p, {"include", "rename", "cast"}, column_filter);
        } else {
            list = filters(item, p, {"name_glob", "name_regexp", "file_size_min", "file_size_max"},
                           metadata_filter);
        }
        out.push_back({{"type", type}, {"filters", list}});
    }
    return out;
}

Json normalize_resources(const Json &resources) {
    const std::string path = "resources";
    if (resources.is_null()) {
        return normalize_resources(Json::object());
    }
    object(resources, path, {"max_parallel_tasks", "cpu_cores_per_task", "ram_bytes_per_task"});
    Json out;
    out["max_parallel_tasks"] = bounded_int(resources, "max_parallel_tasks", path, 1, 100, 1);
    out["cpu_cores_per_task"] = bounded_int(resources, "cpu_cores_per_task", path, 1, 32, 1);
    const Json *ram = member(resources, "ram_bytes_per_task");
    long long bytes =
        ram == nullptr ? 1073741824LL : byte_size(*ram, child(path, "ram_bytes_per_task"));
    if (bytes < 536870912LL) {
        refuse(child(path, "ram_bytes_per_task"),
               "Input should be greater than or equal to 536870912");
    }
    if (bytes > 68719476736LL) {
        refuse(child(path, "ram_bytes_per_task"),
               "Input should be less than or equal to 68719476736");
    }
    out["ram_bytes_per_task"] = bytes;
    return out;
}

long long byte_size(const Json &value, const std::string &path) {
    if (value.is_number_integer()) {
        if (value.is_number_unsigned() ? false : value.get<long long>() < 0) {
            refuse(path, "Input should be greater than or equal to 0");
        }
        if (value.is_number_unsigned() &&
            value.get<unsigned long long>() > 9223372036854775807ULL) {
            refuse(path, "is too large");
        }
        return value.get<long long>();
    }
    if (!value.is_string()) {
        refuse(path, "Input should be a valid integer or a size like \"512MiB\"");
    }
    static const std::regex kSize(R"(^\s*(\d*\.?\d+)\s*([a-zA-Z]*)\s*$)");
    std::smatch m;
    const std::string &text = value.get_ref<const std::string &>();
    if (!std::regex_match(text, m, kSize)) {
        refuse(path, "could not parse value and unit from byte string");
    }
    std::string unit = m[2].str();
    std::transform(unit.begin(), unit.end(), unit.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const std::pair<const char *, double> kUnits[] = {{"", 1},
                                                             {"b", 1},
                                                             {"kb", 1e3},
                                                             {"mb", 1e6},
                                                             {"gb", 1e9},
                                                             {"tb", 1e12},
                                                             {"pb", 1e15},
                                                             {"eb", 1e18},
                                                             {"kib", 1024.0},
                                                             {"mib", 1048576.0},
                                                             {"gib", 1073741824.0},
                                                             {"tib", 1099511627776.0},
                                                             {"pib", 1125899906842624.0},
                                                             {"eib", 1152921504606846976.0}};
    for (const auto &[name, factor] : kUnits) {
        if (unit == name) {
            double bytes = std::stod(m[1].str()) * factor;
            if (bytes > 9.2e18) {
                refuse(path, "is too large");
            }
            return static_cast<long long>(bytes);
        }
    }
    refuse(path, "could not interpret byte unit: " + m[2].str());
}

}  // namespace syncmaster::core::transfer_params
