// Credentials (DESIGN §7.2): the Fernet key from the server-level settings, and the SQL functions
// that seal, show and open auth_data tokens. The sealing functions are internal: only the
// extension's SECURITY DEFINER API functions call them.
#include "core/connection_types.hpp"
#include "core/error.hpp"
#include "core/fernet.hpp"
#include "core/json.hpp"

#include <string>

#include "pg/credentials.hpp"

#include "pg/entry.hpp"
#include "pg/guc.hpp"

namespace syncmaster::pg {

namespace {

namespace ct = core::connection_types;

[[noreturn]] void key_missing() {
    throw core::Error(core::sqlstate::kInUse, "syncmaster.encryption_key is not set",
                      "Credentials are encrypted with a Fernet key the server holds.",
                      "Set syncmaster.encryption_key (url-safe base64 of 32 bytes) in "
                      "postgresql.conf or with ALTER SYSTEM, or syncmaster.encryption_key_file, "
                      "then reload the configuration.");
}

// The key of syncmaster.encryption_key, else of the file syncmaster.encryption_key_file.
core::fernet::Key current_key() {
    std::string text = guc::encryption_key();
    const char *setting = "syncmaster.encryption_key";
    if (text.empty()) {
        std::string path = guc::encryption_key_file();
        if (path.empty()) {
            key_missing();
        }
        setting = "syncmaster.encryption_key_file";
        const char *p = path.c_str();
        const char *contents = pg_call([p]() -> const char * {
            FILE *file = AllocateFile(p, "r");
            if (file == nullptr) {
                ereport(ERROR,
                        (errcode_for_file_access(),
                         errmsg("could not read syncmaster.encryption_key_file \"%s\": %m", p)));
            }
            char buffer[256];
            size_t n = fread(buffer, 1, sizeof buffer - 1, file);
            FreeFile(file);
            buffer[n] = '\0';
            return pstrdup(buffer);
        });
        text = contents;
        while (!text.empty() &&
               (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
            text.pop_back();
        }
    }
    try {
        return core::fernet::parse_key(text);
    } catch (const core::fernet::Invalid &) {
        throw core::Error(core::sqlstate::kInUse,
                          std::string(setting) + " is not a valid Fernet key",
                          "A Fernet key is url-safe base64 of 32 bytes.",
                          "Generate one with: head -c 32 /dev/urandom | base64 | tr '+/' '-_'");
    }
}

std::string decrypt(const std::string &token) {
    core::fernet::Key key = current_key();
    try {
        return core::fernet::decrypt(key, token);
    } catch (const core::fernet::Invalid &e) {
        throw core::Error(
            core::sqlstate::kInUse, "Credentials cannot be decrypted",
            std::string("The auth_data token is invalid: ") + e.what() + ".",
            "Check that syncmaster.encryption_key is the key they were written with.");
    }
}

// Argument i (jsonb) as JSON, its numbers exact (`what` names it in errors); null when SQL NULL.
ct::Json jsonb_arg(FunctionCallInfo fcinfo, int i, const std::string &what) {
    const char *text = pg_call([fcinfo, i]() -> const char * {
        if (PG_ARGISNULL(i)) {
            return nullptr;
        }
        Jsonb *jb = PG_GETARG_JSONB_P(i);
        return JsonbToCString(nullptr, &jb->root, VARSIZE(jb));
    });
    return text == nullptr ? ct::Json(nullptr) : core::json::parse(text, what);
}

Datum jsonb_datum(const ct::Json &value) {
    std::string text = value.dump();
    const char *c = text.c_str();
    return pg_call([c]() { return DirectFunctionCall1(jsonb_in, CStringGetDatum(c)); });
}

Datum text_datum(const std::string &value) {
    const char *c = value.c_str();
    return pg_call([c]() { return CStringGetTextDatum(c); });
}

}  // namespace

std::string open_credentials(const std::string &token) {
    return decrypt(token);
}

std::string seal_credentials(const core::connection_types::Json &credentials) {
    return core::fernet::encrypt(current_key(), core::connection_types::python_dumps(credentials));
}

}  // namespace syncmaster::pg

using namespace syncmaster;

// _seal_credentials(connection_type text, data jsonb, auth jsonb, previous_token text) → text:
// the credentials validated for the connection (secrets left out taken from the previous token
// when the auth type is the same) and sealed in a Fernet token.
SYNCMASTER_FUNCTION(syncmaster_seal_credentials) {
    const char *type = pg::text_argument(fcinfo, 0);
    core::connection_types::Json data = pg::jsonb_arg(fcinfo, 1, "connection data");
    core::connection_types::Json auth = pg::jsonb_arg(fcinfo, 2, "auth_data");
    const char *previous_token = pg::text_argument(fcinfo, 3);
    if (type == nullptr || auth.is_null()) {
        throw core::Error(core::sqlstate::kInvalidInput, "auth_data is required");
    }
    core::connection_types::Json previous = nullptr;
    if (previous_token != nullptr) {
        previous = core::connection_types::Json::parse(pg::decrypt(previous_token));
    }
    core::connection_types::Json sealed =
        core::connection_types::normalize_auth(type, data, auth, previous);
    return pg::text_datum(pg::seal_credentials(sealed));
}

// _credentials_public(token text) → jsonb: the credentials without their secrets.
SYNCMASTER_FUNCTION(syncmaster_credentials_public) {
    std::string plaintext = pg::decrypt(pg::text_argument(fcinfo, 0));
    return pg::jsonb_datum(
        core::connection_types::public_auth(core::connection_types::Json::parse(plaintext)));
}

// _credentials_full(connection_id bigint, token text) → jsonb: the credentials, secrets included.
// Every successful read is written to the server log before the secrets are returned: the
// credential_access row the caller adds goes when its transaction rolls back, the log line stays
// (as pgaudit's records do).
SYNCMASTER_FUNCTION(syncmaster_credentials_full) {
    int64 connection_id = pg::pg_call([fcinfo]() { return PG_GETARG_INT64(0); });
    std::string plaintext = pg::decrypt(pg::text_argument(fcinfo, 1));
    Datum credentials = pg::jsonb_datum(core::connection_types::Json::parse(plaintext));
    pg::pg_call([connection_id]() {
        ereport(LOG, (errmsg("syncmaster: credentials of connection " INT64_FORMAT
                             " read by role \"%s\" (session role \"%s\")",
                             connection_id, GetUserNameFromId(GetOuterUserId(), false),
                             GetUserNameFromId(GetSessionUserId(), false)),
                      errhidestmt(true), errhidecontext(true)));
    });
    return credentials;
}

// connection_types() → text[]: the 14 types, in SyncMaster's order.
SYNCMASTER_FUNCTION(syncmaster_connection_types) {
    const auto &types = core::connection_types::all_types();
    const std::string *data = types.data();
    int count = static_cast<int>(types.size());
    return pg::pg_call([data, count]() {
        Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * count));
        for (int i = 0; i < count; ++i) {
            elems[i] = CStringGetTextDatum(data[i].c_str());
        }
        return PointerGetDatum(construct_array(elems, count, TEXTOID, -1, false, TYPALIGN_INT));
    });
}
