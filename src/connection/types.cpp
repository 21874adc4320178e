#include "connection/types.hpp"

#include "core/error.hpp"
#include "core/json.hpp"

#include <algorithm>
#include <map>

namespace syncmaster::core::connection_types {

namespace {

enum class Kind { kString, kPort, kObject, kStringList, kUrl };

// One field of a shape. A field that is not required and is missing gets its default; null is
// accepted only where the field is nullable.
struct Field {
    const char *name;
    Kind kind;
    bool required = false;
    bool nullable = false;
    Json fallback = nullptr;
    std::vector<std::string> allowed = {};
    bool secret = false;
};

using Shape = std::vector<Field>;

Field required(const char *name, Kind kind = Kind::kString) {
    return Field{name, kind, true};
}
Field optional(const char *name, Kind kind, Json fallback, std::vector<std::string> allowed = {}) {
    return Field{name, kind, false, false, std::move(fallback), std::move(allowed)};
}
Field nullable(const char *name, Kind kind = Kind::kString) {
    return Field{name, kind, false, true, nullptr};
}
Field secret(const char *name) {
    return Field{name, Kind::kString, true, false, nullptr, {}, true};
}
Field enumeration(const char *name, const char *fallback, std::vector<std::string> allowed) {
    return Field{name, Kind::kString, false, false, fallback, std::move(allowed)};
}

[[noreturn]] void refuse(const std::string &what, const std::string &message) {
    throw Error(sqlstate::kInvalidInput, what + ": " + message);
}

std::string quoted(const std::string &name) {
    return "field \"" + name + "\"";
}

std::string joined(const std::vector<std::string> &values) {
    std::string out;
    for (const std::string &v : values) {
        out += (out.empty() ? "" : ", ") + v;
    }
    return out;
}

// The longest text a string field of connection data holds, in characters: a host name has at
// most 253, and a value the search vector is built from (the host) must stay far below a tsvector's
// 1 MB, or the INSERT would fail with 54000 instead of naming the field.
constexpr std::size_t kMaxStringCharacters = 1024;

std::size_t characters(const std::string &utf8) {
    std::size_t n = 0;
    for (unsigned char c : utf8) {
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

void check_value(const std::string &what, const Field &f, const Json &value) {
    std::string name = quoted(f.name);
    switch (f.kind) {
        case Kind::kString:
            if (!value.is_string()) {
                refuse(what, name + " must be a string");
            }
            if (characters(value.get_ref<const std::string &>()) > kMaxStringCharacters) {
                refuse(what, name + " must have at most " + std::to_string(kMaxStringCharacters) +
                                 " characters");
            }
            if (!f.allowed.empty() && std::find(f.allowed.begin(), f.allowed.end(),
                                                value.get<std::string>()) == f.allowed.end()) {
                refuse(what, name + " must be one of: " + joined(f.allowed));
            }
            break;
        case Kind::kPort:
            if (!value.is_number_integer() || value.get<long long>() < 1 ||
                value.get<long long>() > 65535) {
                refuse(what, name + " must be an integer from 1 to 65535");
            }
            break;
        case Kind::kObject:
            if (!value.is_object()) {
                refuse(what, name + " must be a JSON object");
            }
            break;
        case Kind::kStringList:
            if (!value.is_array() || !std::all_of(value.begin(), value.end(),
                                                  [](const Json &v) { return v.is_string(); })) {
                refuse(what, name + " must be an array of strings");
            }
            break;
        case Kind::kUrl: {
            if (!value.is_string()) {
                refuse(what, name + " must be a string");
            }
            const std::string &url = value.get_ref<const std::string &>();
            std::size_t scheme = url.rfind("http://", 0) == 0    ? 7
                                 : url.rfind("https://", 0) == 0 ? 8
                                                                 : 0;
            if (scheme == 0 || url.size() == scheme || url[scheme] == '/') {
                refuse(what, name + " must be an http or https URL");
            }
            break;
        }
    }
}

// The value of `input` normalized to `shape`: unknown keys refused, defaults filled in.
Json apply_shape(const std::string &what, const Shape &shape, const Json &input) {
    if (!input.is_object()) {
        refuse(what, "must be a JSON object");
    }
    for (const auto &item : input.items()) {
        bool known = std::any_of(shape.begin(), shape.end(),
                                 [&](const Field &f) { return item.key() == f.name; });
        if (!known) {
            std::string allowed;
            for (const Field &f : shape) {
                allowed += std::string(allowed.empty() ? "" : ", ") + f.name;
            }
            throw Error(sqlstate::kInvalidInput, what + ": unknown " + quoted(item.key()), {},
                        "The fields of " + what + " here: " + allowed + ".");
        }
    }
    Json out = Json::object();
    for (const Field &f : shape) {
        auto it = input.find(f.name);
        if (it == input.end() || it->is_null()) {
            if (it != input.end() && !f.nullable && !f.required && !f.fallback.is_null()) {
                refuse(what, quoted(f.name) + " must not be null");
            }
            if (f.required) {
                refuse(what, quoted(f.name) + " is required");
            }
            out[f.name] = f.fallback;
            continue;
        }
        check_value(what, f, *it);
        out[f.name] = *it;
    }
    return out;
}

const char *kData = "connection data";
const char *kAuth = "auth_data";

Shape database(int port, bool database_required) {
    return {required("host"), optional("port", Kind::kPort, port),
            database_required ? required("database_name") : nullable("database_name"),
            optional("additional_params", Kind::kObject, Json::object())};
}

const std::map<std::string, Shape, std::less<>> &data_shapes() {
    static const std::map<std::string, Shape, std::less<>> shapes = {
        {"postgres", database(5432, true)},
        {"mssql", database(1433, true)},
        {"mysql", database(3306, false)},
        {"clickhouse", database(8123, false)},
        {"oracle",
         {required("host"), optional("port", Kind::kPort, 1521), nullable("service_name"),
          nullable("sid"), optional("additional_params", Kind::kObject, Json::object())}},
        {"hive", {required("cluster")}},
        {"hdfs", {required("cluster")}},
        {"iceberg_rest_s3_direct",
         {required("type"), required("rest_catalog_url", Kind::kUrl), required("s3_warehouse_path"),
          required("s3_host"), nullable("s3_port", Kind::kPort),
          enumeration("s3_protocol", "https", {"http", "https"}), required("s3_bucket"),
          required("s3_region"), enumeration("s3_bucket_style", "path", {"domain", "path"}),
          optional("s3_additional_params", Kind::kObject, Json::object())}},
        {"iceberg_rest_s3_delegated",
         {required("type"), required("rest_catalog_url", Kind::kUrl), nullable("s3_warehouse_name"),
          enumeration("s3_access_delegation", "vended-credentials",
                      {"vended-credentials", "remote-signing"})}},
        {"s3",
         {required("host"), required("bucket"), enumeration("protocol", "https", {"http", "https"}),
          required("region"), nullable("port", Kind::kPort),
          enumeration("bucket_style", "path", {"domain", "path"}),
          optional("additional_params", Kind::kObject, Json::object())}},
        {"sftp", {required("host"), optional("port", Kind::kPort, 22)}},
        {"ftp", {required("host"), optional("port", Kind::kPort, 21)}},
        {"ftps", {required("host"), optional("port", Kind::kPort, 21)}},
        {"webdav",
         {required("host"), nullable("port", Kind::kPort),
          enumeration("protocol", "https", {"http", "https"})}},
        {"samba",
         {required("host"), required("share"), nullable("port", Kind::kPort),
          enumeration("protocol", "SMB", {"SMB", "NetBIOS"}),
          optional("domain", Kind::kString, "")}},
    };
    return shapes;
}

Shape oauth2(bool with_s3) {
    Shape shape = {required("type"),
                   required("rest_catalog_oauth2_client_id"),
                   secret("rest_catalog_oauth2_client_secret"),
                   optional("rest_catalog_oauth2_scopes", Kind::kStringList, Json::array()),
                   nullable("rest_catalog_oauth2_resource"),
                   nullable("rest_catalog_oauth2_audience"),
                   nullable("rest_catalog_oauth2_token_endpoint", Kind::kUrl)};
    if (with_s3) {
        shape.push_back(required("s3_access_key"));
        shape.push_back(secret("s3_secret_key"));
    }
    return shape;
}

const std::map<std::string, Shape, std::less<>> &auth_shapes() {
    static const std::map<std::string, Shape, std::less<>> shapes = {
        {"basic", {required("type"), required("user"), secret("password")}},
        {"s3", {required("type"), required("access_key"), secret("secret_key")}},
        {"samba",
         {required("type"), required("user"), secret("password"),
          enumeration("auth_type", "NTLMv2", {"NTLMv1", "NTLMv2"})}},
        {"iceberg_rest_bearer_s3_basic",
         {required("type"), secret("rest_catalog_token"), required("s3_access_key"),
          secret("s3_secret_key")}},
        {"iceberg_rest_oauth2_client_credentials_s3_basic", oauth2(true)},
        {"iceberg_rest_bearer", {required("type"), secret("rest_catalog_token")}},
        {"iceberg_rest_oauth2_client_credentials", oauth2(false)},
    };
    return shapes;
}

// The auth types a connection of this type (and data) accepts.
std::vector<std::string> auth_types_for(std::string_view type, const Json &data) {
    if (type == "s3") {
        return {"s3"};
    }
    if (type == "samba") {
        return {"samba"};
    }
    if (type == "iceberg") {
        if (data.value("type", "") == "iceberg_rest_s3_direct") {
            return {"iceberg_rest_bearer_s3_basic",
                    "iceberg_rest_oauth2_client_credentials_s3_basic"};
        }
        return {"iceberg_rest_bearer", "iceberg_rest_oauth2_client_credentials"};
    }
    return {"basic"};
}

}  // namespace

const std::vector<std::string> &all_types() {
    static const std::vector<std::string> types = {
        "clickhouse", "hive", "iceberg", "mssql", "mysql", "oracle", "postgres",
        "ftp",        "ftps", "hdfs",    "s3",    "samba", "sftp",   "webdav"};
    return types;
}

bool is_known_type(std::string_view type) {
    const auto &types = all_types();
    return std::find(types.begin(), types.end(), type) != types.end();
}

void require_known_type(std::string_view type) {
    if (!is_known_type(type)) {
        throw Error(sqlstate::kInvalidInput,
                    "unknown connection type \"" + std::string(type) + "\"",
                    "Use one of: " + joined(all_types()) + ".");
    }
}

Json normalize_data(std::string_view type, const Json &data) {
    require_known_type(type);
    std::string shape_name(type);
    if (type == "iceberg") {
        if (!data.is_object()) {
            refuse(kData, "must be a JSON object");
        }
        auto kind = data.find("type");
        if (kind == data.end() || !kind->is_string() ||
            (*kind != "iceberg_rest_s3_direct" && *kind != "iceberg_rest_s3_delegated")) {
            refuse(kData, quoted("type") +
                              " must be one of: iceberg_rest_s3_direct, iceberg_rest_s3_delegated");
        }
        shape_name = kind->get<std::string>();
    }
    Json out = apply_shape(kData, data_shapes().find(shape_name)->second, data);
    if (type == "oracle" && !out["sid"].is_null() && !out["service_name"].is_null()) {
        refuse(kData, "You must specify either sid or service_name but not both");
    }
    if (type == "s3" && out["port"].is_null()) {
        out["port"] = out["protocol"] == "https" ? 443 : 80;
    }
    return out;
}

Json normalize_auth(std::string_view type, const Json &data, const Json &auth,
                    const Json &previous) {
    if (!auth.is_object()) {
        refuse(kAuth, "must be a JSON object");
    }
    auto kind = auth.find("type");
    std::vector<std::string> fits = auth_types_for(type, data);
    if (kind == auth.end() || !kind->is_string()) {
        refuse(kAuth, quoted("type") + " must be one of: " + joined(fits));
    }
    std::string auth_type = kind->get<std::string>();
    if (std::find(fits.begin(), fits.end(), auth_type) == fits.end()) {
        if (type == "iceberg" && data.value("type", "") == "iceberg_rest_s3_direct") {
            refuse(kAuth, "Cannot create direct S3 connection without S3 credentials");
        }
        if (type == "iceberg" && auth_type.find("s3") != std::string::npos) {
            refuse(kAuth, "Cannot create delegated S3 connection with S3 credentials");
        }
        refuse(kAuth, quoted("type") + " must be one of: " + joined(fits) + " for a " +
                          std::string(type) + " connection");
    }
    const Shape &shape = auth_shapes().find(auth_type)->second;
    // Secrets left out keep their previous value, only when the auth type is unchanged.
    Json merged = auth;
    for (const Field &f : shape) {
        if (!f.secret || (merged.contains(f.name) && !merged[f.name].is_null())) {
            continue;
        }
        if (previous.is_object()) {
            if (previous.value("type", "") != auth_type) {
                throw Error(sqlstate::kInUse,
                            "You cannot update the connection auth type without providing a new "
                            "secret value.");
            }
            if (previous.contains(f.name)) {
                merged[f.name] = previous[f.name];
            }
        }
    }
    return apply_shape(kAuth, shape, merged);
}

Json public_auth(const Json &auth) {
    Json out = auth;
    auto shape = auth_shapes().find(auth.value("type", ""));
    if (shape == auth_shapes().end()) {
        // Unknown auth type: show only the type, never a field that could be a secret.
        return Json{{"type", auth.value("type", "")}};
    }
    for (const Field &f : shape->second) {
        if (f.secret) {
            out.erase(f.name);
        }
    }
    return out;
}

std::string python_dumps(const Json &value) {
    return json::text(value, json::KeyOrder::kBytewise);
}

}  // namespace syncmaster::core::connection_types
