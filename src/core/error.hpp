// Domain errors: what the core refuses, with the SQLSTATE the client will see.
//
// The core never talks to PostgreSQL. It throws syncmaster::core::Error; the adapter's entry guard
// (src/pg/entry.hpp) turns it into ereport(ERROR) with the same SQLSTATE, message, detail and hint
// once the C++ frames are gone.
#pragma once

#include "core/pure.hpp"

#include <stdexcept>
#include <string>

namespace syncmaster::core {

// SQLSTATEs used by the domain, as their five-character codes.
namespace sqlstate {
inline constexpr const char *kNotAuthenticated = "28000";  // invalid_authorization_specification
inline constexpr const char *kForbidden = "42501";         // insufficient_privilege
inline constexpr const char *kNotFound = "P0002";          // no_data_found
inline constexpr const char *kDuplicate = "23505";         // unique_violation
inline constexpr const char *kForeignKey = "23503";        // foreign_key_violation
inline constexpr const char *kInUse = "55000";             // object_not_in_prerequisite_state
inline constexpr const char *kInvalidInput = "22023";      // invalid_parameter_value
inline constexpr const char *kLockNotAvailable = "55P03";  // lock_not_available
inline constexpr const char *kTriggerProtocol = "39P01";   // trigger_protocol_violated
inline constexpr const char *kOutOfMemory = "53200";       // out_of_memory
inline constexpr const char *kInternal = "XX000";          // internal_error
}  // namespace sqlstate

// True when code is five characters of [0-9A-Z], the shape of a SQLSTATE.
bool is_valid_sqlstate(const std::string &code);

// The table constraint a refusal stands for (in the extension's schema). A rules trigger that
// checks a uniqueness before PostgreSQL does names the constraint PostgreSQL would have named, so
// that a client mapping errors by constraint name (SyncMaster's server does) reads the same.
struct Constraint {
    const char *table = "";
    const char *name = "";
};

class Error : public std::runtime_error {
public:
    // Throws std::invalid_argument when sqlstate is not a valid SQLSTATE: a programming error.
    Error(std::string sqlstate, std::string message, std::string detail = {},
          std::string hint = {});
    // The same, standing for a constraint of the schema.
    Error(const Constraint &constraint, std::string sqlstate, std::string message,
          std::string detail = {}, std::string hint = {});

    const std::string &sqlstate() const noexcept { return sqlstate_; }
    const std::string &message() const noexcept { return message_; }
    const std::string &detail() const noexcept { return detail_; }
    const std::string &hint() const noexcept { return hint_; }
    // Empty names when the error stands for no constraint.
    const Constraint &constraint() const noexcept { return constraint_; }

private:
    Constraint constraint_;
    std::string sqlstate_;
    std::string message_;
    std::string detail_;
    std::string hint_;
};

// A write naming a row that does not exist: PostgreSQL's own foreign key violation, worded as
// PostgreSQL words it, key and all. The rules say it before the constraint would (they look the
// row up anyway), and so keep the detail PostgreSQL leaves out for a writer under row-level
// security: the key is the writer's own value, and SyncMaster's server reads it back.
[[noreturn]] void key_not_present(const Constraint &foreign_key, const char *column,
                                  std::int64_t key, const char *referenced_table);

// The message of every 42501 refusal (SyncMaster's).
inline constexpr const char *kNoPower = "You have no power here";

// Throws the refusal of what the actor may not do: 42501 "You have no power here", the detail
// saying who could.
[[noreturn]] void forbidden(const std::string &detail, const std::string &hint = {});

}  // namespace syncmaster::core
