#include "core/columns.hpp"

#include "extension/tables.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>

namespace core = syncmaster::core;
namespace columns = syncmaster::core::columns;
using columns::OnInsert;
using columns::OnUpdate;

namespace {

const core::identity::Actor kSystem = core::identity::Actor::make_system();
const core::identity::Actor kSuperuser{false, 1, true};
const core::identity::Actor kUser{false, 2, false};

constexpr columns::Column kTestColumns[] = {
    {"free", OnInsert::kUser, OnUpdate::kUser},
    {"admin", OnInsert::kUser, OnUpdate::kAdmin},
    {"worker", OnInsert::kStamped, OnUpdate::kSystem, columns::Stamp::kNull},
    {"created_at", OnInsert::kStamped, OnUpdate::kStamped, columns::Stamp::kNow},
    {"slug", OnInsert::kStamped, OnUpdate::kImmutable, columns::Stamp::kComputed,
     "The slug cannot change", "It is fixed."},
    {"group_id", OnInsert::kUser, OnUpdate::kMoved, columns::Stamp::kComputed, "It cannot move",
     "Copy it."},
    {"id", OnInsert::kKey, OnUpdate::kImmutable},
};
constexpr columns::Table kTest = columns::table("thing", kTestColumns);

const columns::Column &col(const char *name) {
    for (const columns::Column &c : kTest) {
        if (std::string(c.name) == name) {
            return c;
        }
    }
    throw std::logic_error(name);
}

// The refusal f throws, as "SQLSTATE message", or "" when it returns.
std::string refusal(const std::function<void()> &f) {
    try {
        f();
    } catch (const core::Error &e) {
        return e.sqlstate() + " " + e.message();
    }
    return "";
}

std::string update(const char *column, const core::identity::Actor &actor) {
    std::string verdict;
    std::string refused = refusal([&] {
        verdict =
            columns::on_update(kTest, col(column), actor, true) == columns::UpdateVerdict::kKeep
                ? "keep"
                : "restore";
    });
    return refused.empty() ? verdict : refused;
}

}  // namespace

TEST(ColumnRights, EveryTableDeclaresEachColumnOnce) {
    std::set<std::string> tables;
    for (const columns::Table &table : syncmaster::extension::tables()) {
        EXPECT_TRUE(tables.insert(table.name).second) << table.name;
        std::set<std::string> names;
        for (const columns::Column &column : table) {
            EXPECT_TRUE(names.insert(column.name).second) << table.name << "." << column.name;
            // A refusal needs words only where one is thrown; the default names the column.
            if (column.refusal != nullptr) {
                EXPECT_TRUE(column.on_update == OnUpdate::kImmutable ||
                            column.on_update == OnUpdate::kMoved)
                    << table.name << "." << column.name;
            }
        }
        EXPECT_GT(table.count, 0u);
    }
    EXPECT_EQ(tables, (std::set<std::string>{"user", "group", "user_group", "connection",
                                             "auth_data", "credential_access", "queue", "transfer",
                                             "run", "user_total", "run_total"}));
}

TEST(ColumnRights, ARunsHistoryIsTheDatabases) {
    for (const columns::Table &table : syncmaster::extension::tables()) {
        if (std::string(table.name) != "run") {
            continue;
        }
        for (const columns::Column &column : table) {
            std::string name = column.name;
            if (name == "status" || name == "transfer_id" || name == "type" || name == "id") {
                continue;  // what a user starts a run with, judged by the run's rules
            }
            EXPECT_EQ(column.on_insert, OnInsert::kStamped) << name;
            EXPECT_NE(column.on_update, OnUpdate::kUser) << name;
        }
    }
}

TEST(ColumnRights, InsertStampsAUsersRowOnly) {
    EXPECT_EQ(columns::on_insert(col("worker"), kUser), columns::InsertVerdict::kNull);
    EXPECT_EQ(columns::on_insert(col("created_at"), kUser), columns::InsertVerdict::kNow);
    EXPECT_EQ(columns::on_insert(col("created_at"), kSuperuser), columns::InsertVerdict::kNow);
    EXPECT_EQ(columns::on_insert(col("slug"), kUser), columns::InsertVerdict::kKeep);  // computed
    EXPECT_EQ(columns::on_insert(col("free"), kUser), columns::InsertVerdict::kKeep);
    EXPECT_EQ(columns::on_insert(col("id"), kUser), columns::InsertVerdict::kKeep);  // privileges
    // The system's values stand: restores, SyncMaster's own server.
    EXPECT_EQ(columns::on_insert(col("worker"), kSystem), columns::InsertVerdict::kKeep);
    EXPECT_EQ(columns::on_insert(col("created_at"), kSystem), columns::InsertVerdict::kKeep);
}

TEST(ColumnRights, UpdateByRight) {
    EXPECT_EQ(update("free", kUser), "keep");
    EXPECT_EQ(update("admin", kUser), "42501 You have no power here");
    EXPECT_EQ(update("admin", kSuperuser), "keep");
    EXPECT_EQ(update("admin", kSystem), "keep");
    EXPECT_EQ(update("worker", kUser), "42501 You have no power here");
    EXPECT_EQ(update("worker", kSuperuser), "42501 You have no power here");
    EXPECT_EQ(update("worker", kSystem), "keep");
    EXPECT_EQ(update("created_at", kUser), "restore");
    EXPECT_EQ(update("created_at", kSuperuser), "restore");
    EXPECT_EQ(update("created_at", kSystem), "keep");
    EXPECT_EQ(update("slug", kUser), "22023 The slug cannot change");
    EXPECT_EQ(update("slug", kSystem), "22023 The slug cannot change");
    EXPECT_EQ(update("group_id", kUser), "22023 It cannot move");
    EXPECT_EQ(update("group_id", kSuperuser), "22023 It cannot move");
    EXPECT_EQ(update("group_id", kSystem), "keep");  // the entity's rules decide
    EXPECT_EQ(update("id", kSystem), "22023 thing.id cannot change");
}

TEST(ColumnRights, AnUnchangedColumnIsAlwaysKept) {
    for (const columns::Column &column : kTest) {
        for (const core::identity::Actor &actor : {kUser, kSuperuser, kSystem}) {
            EXPECT_EQ(columns::on_update(kTest, column, actor, false),
                      columns::UpdateVerdict::kKeep)
                << column.name;
        }
    }
}

TEST(ColumnRights, RefusalsSayWhy) {
    try {
        columns::on_update(kTest, col("worker"), kUser, true);
        FAIL();
    } catch (const core::Error &e) {
        EXPECT_EQ(e.detail(), "Only the system (a worker) changes thing.worker.");
    }
    try {
        columns::on_update(kTest, col("admin"), kUser, true);
        FAIL();
    } catch (const core::Error &e) {
        EXPECT_EQ(e.detail(), "Changing thing.admin needs a superuser.");
    }
    try {
        columns::on_update(kTest, col("group_id"), kUser, true);
        FAIL();
    } catch (const core::Error &e) {
        EXPECT_EQ(e.hint(), "Copy it.");
    }
}

// The entities' own declarations: what never changes, and with which words.
TEST(ColumnRights, TheEntitiesRefusals) {
    auto refused = [](const char *table_name, const char *column_name,
                      const core::identity::Actor &actor) {
        for (const columns::Table &table : syncmaster::extension::tables()) {
            for (const columns::Column &column : table) {
                if (std::string(table.name) == table_name &&
                    std::string(column.name) == column_name) {
                    return refusal([&] { columns::on_update(table, column, actor, true); });
                }
            }
        }
        return std::string("undeclared");
    };
    EXPECT_EQ(refused("queue", "slug", kSystem), "22023 The slug of a queue cannot change");
    EXPECT_EQ(refused("queue", "group_id", kSystem), "22023 A queue cannot move to another group");
    EXPECT_EQ(refused("transfer", "group_id", kSystem),
              "22023 A transfer cannot move to another group");
    EXPECT_EQ(refused("connection", "group_id", kUser),
              "22023 A connection cannot move to another group");
    EXPECT_EQ(refused("connection", "group_id", kSystem), "");  // the connection's rules decide
    EXPECT_EQ(refused("run", "transfer_id", kSystem), "22023 The transfer of a run cannot change");
    EXPECT_EQ(refused("run", "type", kSystem), "22023 The type of a run cannot change");
    EXPECT_EQ(refused("run", "worker", kSuperuser), "42501 You have no power here");
    EXPECT_EQ(refused("user", "is_superuser", kUser), "42501 You have no power here");
    EXPECT_EQ(refused("user", "email", kUser), "");
}

TEST(ColumnRights, Words) {
    EXPECT_STREQ(columns::name(OnInsert::kStamped), "stamped");
    EXPECT_STREQ(columns::name(OnInsert::kKey), "key");
    EXPECT_STREQ(columns::name(OnUpdate::kAdmin), "superuser");
    EXPECT_STREQ(columns::name(OnUpdate::kMoved), "moved");
}
