#include "core/error.hpp"
#include "core/json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "outcome.hpp"

namespace json = syncmaster::core::json;

namespace {

std::string refusal(const std::string &text) {
    return syncmaster::testing::outcome([&] { json::parse(text, "connection data"); });
}

}  // namespace

TEST(Json, KeepsIntegersAsWritten) {
    for (const char *text :
         {"1", "-7", "0", "9223372036854775807", "-9223372036854775808", "18446744073709551615"}) {
        EXPECT_EQ(json::parse(text, "x").dump(), text);
    }
}

TEST(Json, KeepsDoublesByValue) {
    for (const char *text :
         {"0.1", "1.5", "-2.25e-3", "1e300", "1.7976931348623157e308", "5e-324", "2.5"}) {
        json::Json value = json::parse(text, "x");
        ASSERT_TRUE(value.is_number_float()) << text;
        EXPECT_TRUE(json::same_number(text, value.get<double>())) << text;
        EXPECT_TRUE(json::same_number(value.dump(), value.get<double>())) << text;
    }
    EXPECT_EQ(json::parse(R"({"a": [1, 2.5, {"b": 3}]})", "x").dump(), R"({"a":[1,2.5,{"b":3}]})");
}

TEST(Json, ComparesDecimalsByValue) {
    EXPECT_TRUE(json::same_number("1.50", 1.5));
    EXPECT_TRUE(json::same_number("150e-2", 1.5));
    EXPECT_TRUE(json::same_number("0.0", 0.0));
    EXPECT_TRUE(json::same_number("-0", 0.0));
    EXPECT_TRUE(json::same_number("12345678901234568000000", 12345678901234567890123.0));
    EXPECT_FALSE(json::same_number("12345678901234567890123", 12345678901234567890123.0));
    EXPECT_FALSE(json::same_number("0.30000000000000001", 0.3));
    EXPECT_FALSE(json::same_number("1", 2.0));
}

TEST(Json, RefusesNumbersBeyondDoubleRangeNamingTheField) {
    EXPECT_EQ(refusal(R"({"port": 1e400})"),
              "22023 connection data: field \"port\" must be a number that a 64-bit integer or a "
              "double holds exactly");
    EXPECT_EQ(refusal(R"({"port": )" + std::string("1") + std::string(400, '0') + "}"),
              "22023 connection data: field \"port\" must be a number that a 64-bit integer or a "
              "double holds exactly");
    EXPECT_EQ(refusal(R"({"additional_params": {"x": -1e309}})"),
              "22023 connection data: field \"additional_params.x\" must be a number that a 64-bit "
              "integer or a double holds exactly");
}

TEST(Json, RefusesNumbersItWouldRewrite) {
    EXPECT_EQ(refusal(R"({"additional_params": {"big": 12345678901234567890123}})"),
              "22023 connection data: field \"additional_params.big\" must be a number that a "
              "64-bit integer or a double holds exactly");
    EXPECT_EQ(refusal(R"({"a": [1, 2, {"b": [0.30000000000000001]}]})"),
              "22023 connection data: field \"a[2].b[0]\" must be a number that a 64-bit integer "
              "or a double holds exactly");
    EXPECT_EQ(refusal("18446744073709551616"),
              "22023 connection data: field \"\" must be a number that a 64-bit integer or a "
              "double holds exactly");
}

TEST(Json, RefusesTextThatIsNotJson) {
    EXPECT_EQ(refusal("{"), "22023 connection data: invalid JSON");
    EXPECT_EQ(refusal(R"({"a": nul})"), "22023 connection data: invalid JSON");
}

// The texts below are what PostgreSQL 15's jsonb_out prints for the same documents.
TEST(Json, PrintsAsJsonbDoes) {
    using syncmaster::core::json::Json;
    using syncmaster::core::json::jsonb_text;
    EXPECT_EQ(jsonb_text(Json::parse(R"({"port":5432,"host":"h","database_name":"d","x":{}})")),
              R"({"x": {}, "host": "h", "port": 5432, "database_name": "d"})");
    EXPECT_EQ(jsonb_text(Json::parse(R"([1,"a",[],null,true,{"bb":1,"a":[2,3]}])")),
              R"([1, "a", [], null, true, {"a": [2, 3], "bb": 1}])");
    EXPECT_EQ(jsonb_text(Json::parse(R"({"s":"q\"b\\n\n\t\u0001é"})")),
              R"({"s": "q\"b\\n\n\t\u0001é"})");
    EXPECT_EQ(jsonb_text(Json::parse(R"({"ab":1,"b":2,"aa":3})")), R"({"b": 2, "aa": 3, "ab": 1})");
    EXPECT_EQ(jsonb_text(Json::parse("-0.5")), "-0.5");
}

TEST(Json, RefusesDocumentsTooLargeOrTooDeepBeforeReadingThem) {
    std::string large = "{\"host\": \"" + std::string(json::kMaxDocumentBytes, 'h') + "\"}";
    EXPECT_EQ(refusal(large),
              "22023 connection data: a JSON document must be at most 1048576 bytes, got " +
                  std::to_string(large.size()));
    std::string fits = "\"" + std::string(json::kMaxDocumentBytes - 2, 'h') + "\"";
    EXPECT_EQ(refusal(fits), "ok");
    std::string deep(json::kMaxDepth, '[');
    deep += std::string(json::kMaxDepth, ']');
    EXPECT_EQ(refusal(deep), "ok");
    std::string deeper = "[" + deep + "]";
    EXPECT_EQ(refusal(deeper), "22023 connection data: JSON nested deeper than 32 levels");
    std::string very_deep = std::string(10000, '[') + std::string(10000, ']');
    EXPECT_EQ(refusal(very_deep), "22023 connection data: JSON nested deeper than 32 levels");
    std::string objects;
    for (int i = 0; i < 40; ++i) {
        objects += "{\"a\": ";
    }
    objects += "1" + std::string(40, '}');
    EXPECT_EQ(refusal(objects), "22023 connection data: JSON nested deeper than 32 levels");
}
