// The bounds of the text a user writes: names, descriptions, usernames, search text, pages. Each
// entity declares its fields (a Text) beside its columns; the API functions check their arguments
// with them before any row is written (a varchar column would otherwise refuse an over-long value
// with a raw 22001 before any trigger runs), the triggers check rows, and CHECK constraints stand
// behind as a backstop. Every refusal is Error 22023 with a message naming the field.
#pragma once

#include "core/pure.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace syncmaster::core::fields {

inline constexpr std::size_t kNameMin = 3;  // group, connection, queue, transfer names
inline constexpr std::size_t kNameMax = 128;
inline constexpr std::size_t kDescriptionMax = 512;   // descriptions
inline constexpr std::size_t kPersonFieldMax = 256;   // a user's email and names
inline constexpr std::size_t kSearchMax = 256;        // free-text search of the list functions
inline constexpr std::size_t kUsernameMaxBytes = 63;  // a PostgreSQL role name (NAMEDATALEN - 1)
inline constexpr std::size_t kWorkerMax = 256;        // the worker that holds a run
inline constexpr std::size_t kLogUrlMax = 512;        // a finished run's log_url

// A text field a user writes: the label its refusals name, its bounds in characters, whether SQL
// NULL is refused ("<label> is required"; else NULL means "keep" or "none"), and a further check
// of a present value. Each entity declares its fields beside its columns (core::<entity>::kName,
// ...).
struct Text {
    const char *label;
    std::size_t min = 0;
    std::size_t max = 0;  // 0: no bound here
    bool required = false;
    void (*also)(std::string_view) = nullptr;
};

// A name of 3 to 128 characters, required.
constexpr Text name(const char *label, void (*also)(std::string_view) = nullptr) {
    return Text{label, kNameMin, kNameMax, true, also};
}
// A description, a user's email and names: at most `max` characters, NULL allowed.
constexpr Text at_most(const char *label, std::size_t max) {
    return Text{label, 0, max, false, nullptr};
}
// A required value that `also` judges (a connection type, a member role).
constexpr Text one_of(const char *label, void (*also)(std::string_view)) {
    return Text{label, 0, 0, true, also};
}

// The free-text search of the list functions.
inline constexpr Text kSearch = at_most("search", kSearchMax);
// The search of search_connections(), which has nothing to list without one.
inline constexpr Text kSearchTerms = Text{"search", 1, kSearchMax, true, nullptr};

// Refuses `value` (nullopt: SQL NULL) outside the bounds of `field` with 22023 naming it.
void check(const Text &field, std::optional<std::string_view> value);

// The pages of the list functions, SyncMaster's bounds: page from 1, page_size 1 to 50 (22023).
inline constexpr int kPageSizeMax = 50;
void check_page(std::optional<int> page, std::optional<int> page_size);

// The number of characters (UTF-8 code points) of text.
std::size_t characters(std::string_view text);

// What the database knows of the PostgreSQL role named like a username.
struct RoleNamed {
    bool exists = false;
    bool can_login = false;  // LOGIN: a person's role, not a group role others SET ROLE to
};

// A user acts through the PostgreSQL role of its username, so a username must be one
// a role can have (1 to 63 bytes), not a name PostgreSQL or pg_syncmaster reserves
// (syncmaster_user, syncmaster_service, pg_*), and not the name of a role that cannot log in: the
// members of such a group role could act as the user after SET ROLE. (core::identity also refuses
// to let a role without LOGIN act as the user of its name, should one be created later.)
void check_username(std::optional<std::string_view> username, const RoleNamed &role);

}  // namespace syncmaster::core::fields
