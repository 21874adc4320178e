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
