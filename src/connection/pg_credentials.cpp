// Credentials: the Fernet key from the server-level settings, and the SQL functions
// that seal, show and open auth_data tokens. The sealing functions are internal: only the
// extension's SECURITY DEFINER API functions call them.
#include "connection/rules.hpp"
#include "connection/types.hpp"
#include "core/error.hpp"
#include "core/fernet.hpp"
#include "core/json.hpp"

#include <string>

#include "connection/pg_credentials.hpp"

#include "pg/columns.hpp"
#include "pg/entry.hpp"
#include "pg/guc.hpp"
#include "pg/identity.hpp"
#include "pg/spi.hpp"
#include "pg/trigger_data.hpp"

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

}  // namespace

ct::Json json_param(FunctionCallInfo fcinfo, int i, const std::string &what) {
    const char *text = pg_call([fcinfo, i]() -> const char * {
        if (PG_ARGISNULL(i)) {
            return nullptr;
        }
        Jsonb *jb = PG_GETARG_JSONB_P(i);
        return JsonbToCString(nullptr, &jb->root, VARSIZE(jb));
    });
    return text == nullptr ? ct::Json(nullptr) : core::json::parse(text, what);
}

namespace {

Datum jsonb_datum(const ct::Json &value) {
    std::string text = value.dump();
    const char *c = text.c_str();
    return pg_call([c]() { return DirectFunctionCall1(jsonb_in, CStringGetDatum(c)); });
}

}  // namespace

std::string open_credentials(const std::string &token) {
    return decrypt(token);
}

std::string seal_credentials(const core::connection_types::Json &credentials) {
    return core::fernet::encrypt(current_key(), core::connection_types::python_dumps(credentials));
}

std::string seal_for_connection(const std::string &type, const ct::Json &data, const ct::Json &auth,
                                const std::optional<std::string> &previous_token) {
    if (auth.is_null()) {
        throw core::Error(core::sqlstate::kInvalidInput, "auth_data is required");
    }
    ct::Json previous = nullptr;
    if (previous_token) {
        previous = ct::Json::parse(decrypt(*previous_token));
    }
    return seal_credentials(ct::normalize_auth(type, data, auth, previous));
}

std::string public_credentials(const std::string &token) {
    return ct::public_auth(ct::Json::parse(decrypt(token))).dump();
}

std::string full_credentials(std::int64_t connection_id, const std::string &token) {
    std::string plaintext = decrypt(token);
    ct::Json credentials = ct::Json::parse(plaintext);
    pg_call([connection_id]() {
        ereport(LOG, (errmsg("syncmaster: credentials of connection " INT64_FORMAT
                             " read by role \"%s\" (session role \"%s\")",
                             connection_id, GetUserNameFromId(GetOuterUserId(), false),
                             GetUserNameFromId(GetSessionUserId(), false)),
                      errhidestmt(true), errhidecontext(true)));
    });
    return credentials.dump();
}

namespace {

// The plaintext of a token written to auth_data directly: 22023 when it is not one of the
// configured key (55000 when there is no key, as everywhere).
std::string open_written_token(const std::string &token) {
    core::fernet::Key key = current_key();
    try {
        return core::fernet::decrypt(key, token);
    } catch (const core::fernet::Invalid &e) {
        core::connection::token_of_another_key(e.what());
    }
}

// The connection of credentials, read as the tables' owner (the writer is the system anyway).
Statement connection_type_data(
    "SELECT type, data::text FROM syncmaster.connection WHERE id OPERATOR(pg_catalog.=) $1");

// Direct writes are recorded in the server log, as reads of secrets are.
void log_direct_write(const char *what, std::int64_t connection_id) {
    pg_call([what, connection_id]() {
        ereport(LOG, (errmsg("syncmaster: credentials of connection " INT64_FORMAT
                             " %s directly by role \"%s\" (session role \"%s\")",
                             connection_id, what, GetUserNameFromId(GetOuterUserId(), false),
                             GetUserNameFromId(GetSessionUserId(), false)),
                      errhidestmt(true), errhidecontext(true)));
    });
}

}  // namespace

// The column rights of auth_data (core/columns.hpp).
constexpr core::columns::Table kAuthDataColumns =
    core::columns::table("auth_data", core::connection::kAuthDataColumns);

}  // namespace syncmaster::pg

using namespace syncmaster;

// BEFORE INSERT OR UPDATE OR DELETE ON auth_data, FOR EACH ROW. The API functions write as the
// tables' owner (SECURITY DEFINER, having decided who may) and so does a cascade from connection;
// any other write is the system's alone, and is logged. Every token written, by anyone, must open
// with the configured key and hold credentials that fit the connection.
SYNCMASTER_FUNCTION(syncmaster_auth_data_rules) {
    pg::Fired fired = pg::fired_before_row(fcinfo, "syncmaster.auth_data_rules");
    core::identity::Actor actor = pg::current_actor().actor;
    pg::apply_column_rights(fired, pg::kAuthDataColumns, actor);
    Oid owner = fired.trigger->tg_relation->rd_rel->relowner;
    bool direct = pg::pg_call([]() { return GetUserId(); }) != owner;
    if (direct) {
        core::connection::authorize_credentials(actor, fired.event == pg::RowEvent::kDelete
                                                           ? "deletes credentials"
                                                           : "writes credentials directly");
    }
    pg::RowValues row(fired.trigger,
                      fired.event == pg::RowEvent::kDelete ? fired.old_row() : fired.new_row());
    std::int64_t connection_id = pg::as_int8(row["connection_id"]).value_or(0);
    std::optional<std::string> token = pg::as_text(row["value"]);
    bool new_token = fired.event == pg::RowEvent::kInsert ||
                     (fired.event == pg::RowEvent::kUpdate &&
                      !row.same(pg::RowValues(fired.trigger, fired.old_row()), "value"));
    if (new_token && token) {
        pg::Result connection =
            pg::connection_type_data.run(pg::As::kTableOwner, {pg::int8_arg(connection_id)}, 1);
        // No such connection: the foreign key says so, whatever the token.
        if (!connection.empty()) {
            std::string plaintext = pg::open_written_token(*token);
            core::connection::check_token_credentials(
                connection.text(0, 0).value_or(""),
                core::json::parse(connection.text(0, 1).value_or("{}"), "data"), plaintext);
        }
    }
    if (direct) {
        pg::log_direct_write(fired.event == pg::RowEvent::kDelete ? "deleted" : "written",
                             connection_id);
    }
    return fired.proceed();
}

namespace syncmaster::pg {
namespace {
Statement stored_token(
    "SELECT a.value FROM syncmaster.auth_data a "
    "WHERE a.connection_id OPERATOR(pg_catalog.=) $1");
}  // namespace
}  // namespace syncmaster::pg

// AFTER UPDATE OF type, data ON connection, DEFERRABLE INITIALLY DEFERRED, FOR EACH ROW, when the
// type (or data's own type) changed: at commit, the credentials the connection holds fit it as it
// now is. Only the system's change can get here with credentials that do not (a person's is
// refused at once); SyncMaster's server writes the new ones right after its UPDATE.
SYNCMASTER_FUNCTION(syncmaster_connection_credentials_fit) {
    pg::Fired fired = pg::fired_after_row(fcinfo, "syncmaster.connection_credentials_fit");
    std::int64_t connection_id =
        pg::as_int8(pg::RowValues(fired.trigger, fired.new_row())["id"]).value_or(0);
    // The connection and its credentials as they are now (a later statement may have changed both,
    // or deleted the connection).
    pg::Result connection =
        pg::connection_type_data.run(pg::As::kTableOwner, {pg::int8_arg(connection_id)}, 1);
    pg::Result token = pg::stored_token.run(pg::As::kTableOwner, {pg::int8_arg(connection_id)}, 1);
    if (!connection.empty() && !token.empty() && token.text(0, 0)) {
        core::connection::check_credentials_fit(
            connection.text(0, 0).value_or(""),
            core::json::parse(connection.text(0, 1).value_or("{}"), "data"),
            pg::open_credentials(*token.text(0, 0)));
    }
    return PointerGetDatum(nullptr);
}

// _credentials_public(token text) → jsonb: the credentials without their secrets (transfer_dump).
SYNCMASTER_FUNCTION(syncmaster_credentials_public) {
    return pg::jsonb_datum(
        core::connection_types::Json::parse(pg::public_credentials(pg::text_argument(fcinfo, 0))));
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
