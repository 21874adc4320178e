#include "core/error.hpp"

#include <gtest/gtest.h>

namespace core = syncmaster::core;

TEST(Error, CarriesSqlstateMessageDetailAndHint) {
    core::Error e(core::sqlstate::kForbidden, "You have no power here", "needs WRITE", "ask");
    EXPECT_EQ(e.sqlstate(), "42501");
    EXPECT_EQ(e.message(), "You have no power here");
    EXPECT_EQ(e.detail(), "needs WRITE");
    EXPECT_EQ(e.hint(), "ask");
    EXPECT_STREQ(e.what(), "You have no power here");
}

TEST(Error, DetailAndHintDefaultToEmpty) {
    core::Error e(core::sqlstate::kNotFound, "Group not found");
    EXPECT_EQ(e.detail(), "");
    EXPECT_EQ(e.hint(), "");
}

TEST(Error, RefusesWhatIsNotASqlstate) {
    EXPECT_THROW(core::Error("4250", "short"), std::invalid_argument);
    EXPECT_THROW(core::Error("425011", "long"), std::invalid_argument);
    EXPECT_THROW(core::Error("4250a", "lower case"), std::invalid_argument);
    EXPECT_THROW(core::Error("", "empty"), std::invalid_argument);
}

TEST(Error, KnowsTheShapeOfASqlstate) {
    EXPECT_TRUE(core::is_valid_sqlstate("P0002"));
    EXPECT_TRUE(core::is_valid_sqlstate("XX000"));
    EXPECT_FALSE(core::is_valid_sqlstate("P000"));
    EXPECT_FALSE(core::is_valid_sqlstate("P0-02"));
}

TEST(Error, DomainSqlstatesAreValid) {
    for (const char *code :
         {core::sqlstate::kNotAuthenticated, core::sqlstate::kForbidden, core::sqlstate::kNotFound,
          core::sqlstate::kDuplicate, core::sqlstate::kInUse, core::sqlstate::kInvalidInput,
          core::sqlstate::kOutOfMemory, core::sqlstate::kInternal}) {
        EXPECT_TRUE(core::is_valid_sqlstate(code)) << code;
    }
}

TEST(Error, AMissingKeyIsWordedAsPostgreSQLWordsIt) {
    try {
        core::key_not_present({"user_group", "fk__user_group__user_id__user"}, "user_id", 42,
                              "user");
        ADD_FAILURE() << "not thrown";
    } catch (const core::Error &e) {
        EXPECT_EQ(e.sqlstate(), core::sqlstate::kForeignKey);
        EXPECT_EQ(e.message(),
                  "insert or update on table \"user_group\" violates foreign key constraint "
                  "\"fk__user_group__user_id__user\"");
        EXPECT_EQ(e.detail(), "Key (user_id)=(42) is not present in table \"user\".");
        EXPECT_STREQ(e.constraint().table, "user_group");
        EXPECT_STREQ(e.constraint().name, "fk__user_group__user_id__user");
    }
}

TEST(Error, AnErrorStandsForNoConstraintUnlessTold) {
    core::Error plain("23505", "taken");
    EXPECT_STREQ(plain.constraint().name, "");
    core::Error named(core::Constraint{"queue", "uq__queue__slug"}, "23505", "taken");
    EXPECT_STREQ(named.constraint().table, "queue");
    EXPECT_STREQ(named.constraint().name, "uq__queue__slug");
}
