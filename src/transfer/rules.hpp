// The rules of transfer rows: Developers and above create and
// change them, Maintainers delete them; both connections and the queue exist, are visible to the
// actor and belong to the transfer's group; each params' type is its connection's; every
// parameter is valid (transfer/params); names are unique per group; a scheduled transfer
// has a valid schedule (transfer/cron); a transfer never changes group by update (it moves by
// copy).
#pragma once

#include "core/pure.hpp"

#include "core/columns.hpp"
#include "core/error.hpp"
#include "core/identity.hpp"
#include "core/lookup.hpp"
#include "core/search.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace syncmaster::core::transfer {

// Who writes each column (core/columns.hpp). A transfer moves to another group only by a copy with
// remove_source (a new row with fresh timestamps and its own schedule).
inline constexpr columns::Column kColumns[] = {
    columns::kId,
    {"group_id", columns::OnInsert::kUser, columns::OnUpdate::kImmutable, columns::Stamp::kComputed,
     "A transfer cannot move to another group",
     "Copy it with syncmaster.copy_transfer(..., remove_source => true)."},
    columns::user_column("name"),
    columns::user_column("description"),
    columns::user_column("source_connection_id"),
    columns::user_column("target_connection_id"),
    columns::user_column("queue_id"),
    columns::user_column("source_params"),
    columns::user_column("target_params"),
    columns::user_column("strategy_params"),
    columns::user_column("transformations"),
    columns::user_column("resources"),
    columns::flag_column("is_scheduled", columns::OnUpdate::kUser),
    columns::user_column("schedule"),
    columns::kCreatedAt,
    columns::kUpdatedAt,
    columns::kSearchVector,
};

inline constexpr fields::Text kName = fields::name("transfer name");
inline constexpr Constraint kUniqueName{"transfer", "uq__transfer__name_group_id"};
inline constexpr fields::Text kDescription =
    fields::at_most("transfer description", fields::kDescriptionMax);

// Searched by name, the source's and target's table_name, then their directory_path.
inline constexpr search::Searchable kSearchable{
    {{{{"source_params", "table_name"}, {"target_params", "table_name"}}, 2},
     {{{"source_params", "directory_path"}, {"target_params", "directory_path"}}, 2}},
    2};

struct Row {
    std::int64_t id = 0;
    std::int64_t group_id = 0;
    std::optional<std::string> name;
    std::int64_t source_connection_id = 0;
    std::int64_t target_connection_id = 0;
    std::int64_t queue_id = 0;
    // jsonb as text; nullopt for SQL NULL (the defaults, for strategy, transformations, resources).
    // On UPDATE the adapter leaves a document it saw unchanged unread (nullopt in both rows) when
    // nothing it is checked against changed either.
    std::optional<std::string> source_params;
    std::optional<std::string> target_params;
    std::optional<std::string> strategy_params;
    std::optional<std::string> transformations;
    std::optional<std::string> resources;
    bool is_scheduled = false;
    std::optional<std::string> schedule;
};

// What the adapter writes back: the normalized documents and schedule; nullopt keeps the row's.
struct Outcome {
    std::optional<std::string> source_params;
    std::optional<std::string> target_params;
    std::optional<std::string> strategy_params;
    std::optional<std::string> transformations;
    std::optional<std::string> resources;
    std::optional<std::string> schedule;
};

Outcome on_insert(const identity::Actor &actor, const Row &row, Lookup &lookup);
Outcome on_update(const identity::Actor &actor, const Row &old_row, const Row &new_row,
                  Lookup &lookup);
void on_delete(const identity::Actor &actor, const Row &row, Lookup &lookup);

// A schedule has at most 32 characters (the column's bound): 22023 otherwise.
void check_schedule_length(const std::optional<std::string> &schedule);

// A schedule as stored: NULL is ''; at most 32 characters; required when scheduled; a valid cron
// schedule when not empty (22023 "schedule: ...").
std::string check_schedule(bool is_scheduled, const std::optional<std::string> &schedule);

// Every job of the extension is named with this prefix (a job of another role may be too).
inline constexpr const char *kJobPrefix = "syncmaster_";
// The name pg_cron knows a transfer's job by, within 63 bytes: "syncmaster_transfer_<id>".
std::string job_name(std::int64_t transfer_id);
// The command of that job.
std::string job_command(std::int64_t transfer_id);

// The reaper's pg_cron job: its name and command.
inline constexpr const char *kReaperJobName = "syncmaster_reap_stale_runs";
inline constexpr const char *kReaperJobCommand = "SELECT syncmaster.reap_stale_runs()";
// The retention job: removes finished runs older than syncmaster.run_retention, a batch a minute.
inline constexpr const char *kPurgeJobName = "syncmaster_purge_runs";
inline constexpr const char *kPurgeJobCommand = "SELECT syncmaster.purge_runs()";

// Whether a pg_cron job is the extension's: a transfer's job (the name of a transfer id and that
// transfer's command), the reaper's or the retention job's. A job of another role named alike is
// not, whatever its name: its command differs, or its name is not one a transfer can have.
bool is_extension_job(const std::string &name, const std::string &command);
// The transfer of a transfer's job of the extension; nullopt for any other job.
std::optional<std::int64_t> job_transfer(const std::string &name, const std::string &command);

}  // namespace syncmaster::core::transfer
