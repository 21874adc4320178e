#include "core/search.hpp"

#include <gtest/gtest.h>

namespace search = syncmaster::core::search;

// The query texts of SyncMaster's tests/test_unit/test_search.py.
TEST(TsqueryText, PlainWords) {
    EXPECT_EQ(search::tsquery_text("some word 12345"),
              "('some' & 'word' & '12345') | ('some':* & 'word':* & '12345':*)");
}

TEST(TsqueryText, Underscores) {
    EXPECT_EQ(search::tsquery_text("with_underscore_123"),
              "('with_underscore_123') | ('with_underscore_123':*) | "
              "('with':* & 'underscore':* & '123':*)");
}

TEST(TsqueryText, DomainName) {
    EXPECT_EQ(search::tsquery_text("some-domain.name"),
              "('some-domain.name') | ('some-domain.name':*) | "
              "('some':* & 'domain':* & 'name':*)");
}

TEST(TsqueryText, Path) {
    EXPECT_EQ(search::tsquery_text("/file/path"),
              "('/file/path') | ('/file/path':*) | ('file':* & 'path':*)");
}

TEST(TsqueryText, LotsOfPunctuation) {
    EXPECT_EQ(search::tsquery_text("!@#$%^&*()_+~-=[]{}|;':,./<>?a_lot_of_punctuation"),
              "('a_lot_of_punctuation') | ('a_lot_of_punctuation':*) | "
              "('a':* & 'lot':* & 'of':* & 'punctuation':*)");
}

TEST(TsqueryText, NothingButPunctuationIsEmpty) {
    EXPECT_EQ(search::tsquery_text("!!! ... --- '\\"), "");
    EXPECT_EQ(search::tsquery_text(""), "");
    EXPECT_EQ(search::tsquery_text("   "), "");
}

TEST(TsqueryText, QuotesAndBackslashesNeverReachTheQuery) {
    EXPECT_EQ(search::tsquery_text("o'brien\\x"),
              "('o' & 'brien' & 'x') | ('o':* & 'brien':* & 'x':*)");
}

TEST(TsqueryText, NonAsciiWordsStayWhole) {
    EXPECT_EQ(search::tsquery_text("данные 2024"), "('данные' & '2024') | ('данные':* & '2024':*)");
}

TEST(SplitSeparators, TheSixSeparatorsBecomeSpaces) {
    EXPECT_EQ(search::split_separators("db.example-1.com:5432/a_b\\c"),
              "db example 1 com 5432 a b c");
    EXPECT_EQ(search::split_separators("plain words"), "plain words");
    EXPECT_EQ(search::split_separators(""), "");
}

TEST(Search, VectorPartsFollowSyncMastersOrder) {
    using Parts = std::vector<std::pair<bool, std::string>>;
    EXPECT_EQ(search::vector_parts("my.db", {}),
              (Parts{{true, "my.db"}, {false, "my.db"}, {false, "my db"}}));
    // Each group: its texts as they are, then split.
    EXPECT_EQ(search::vector_parts("t", {{"a.b", "c_d"}, {"/in", ""}}), (Parts{{true, "t"},
                                                                               {false, "t"},
                                                                               {false, "t"},
                                                                               {false, "a.b"},
                                                                               {false, "c_d"},
                                                                               {false, "a b"},
                                                                               {false, "c d"},
                                                                               {false, "/in"},
                                                                               {false, ""},
                                                                               {false, " in"},
                                                                               {false, ""}}));
}
