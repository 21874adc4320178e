#include "core/fernet.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace fernet = syncmaster::core::fernet;
using nlohmann::json;

namespace {

json load(const std::string &name) {
    std::ifstream in(std::string(SYNCMASTER_TESTDATA) + "/fernet/" + name);
    EXPECT_TRUE(in.good()) << "cannot read " << name;
    return json::parse(in);
}

// Seconds since the epoch of "1985-10-26T01:20:00-07:00".
std::uint64_t epoch(const std::string &iso) {
    std::tm tm{};
    tm.tm_year = std::stoi(iso.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(iso.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(iso.substr(8, 2));
    tm.tm_hour = std::stoi(iso.substr(11, 2));
    tm.tm_min = std::stoi(iso.substr(14, 2));
    tm.tm_sec = std::stoi(iso.substr(17, 2));
    long offset = 0;
    if (iso.size() > 19 && (iso[19] == '+' || iso[19] == '-')) {
        offset = (std::stoi(iso.substr(20, 2)) * 60 + std::stoi(iso.substr(23, 2))) * 60;
        if (iso[19] == '+') {
            offset = -offset;
        }
    }
    return static_cast<std::uint64_t>(timegm(&tm) + offset);
}

fernet::Block block(const json &bytes) {
    fernet::Block b{};
    for (std::size_t i = 0; i < b.size(); ++i) {
        b[i] = bytes.at(i).get<std::uint8_t>();
    }
    return b;
}

}  // namespace

// The Fernet specification's test vectors (test/data/fernet, from github.com/fernet/spec).
TEST(FernetSpec, Generate) {
    for (const json &v : load("generate.json")) {
        auto key = fernet::parse_key(v["secret"].get<std::string>());
        EXPECT_EQ(fernet::encrypt_at(key, v["src"].get<std::string>(),
                                     epoch(v["now"].get<std::string>()), block(v["iv"])),
                  v["token"].get<std::string>());
    }
}

TEST(FernetSpec, Verify) {
    for (const json &v : load("verify.json")) {
        auto key = fernet::parse_key(v["secret"].get<std::string>());
        EXPECT_EQ(
            fernet::decrypt(key, v["token"].get<std::string>(), v["ttl_sec"].get<std::uint64_t>(),
                            epoch(v["now"].get<std::string>())),
            v["src"].get<std::string>());
    }
}

TEST(FernetSpec, Invalid) {
    json vectors = load("invalid.json");
    ASSERT_EQ(vectors.size(), 8u);
    for (const json &v : vectors) {
        auto key = fernet::parse_key(v["secret"].get<std::string>());
        EXPECT_THROW(
            fernet::decrypt(key, v["token"].get<std::string>(), v["ttl_sec"].get<std::uint64_t>(),
                            epoch(v["now"].get<std::string>())),
            fernet::Invalid)
            << v["desc"].get<std::string>();
    }
}

// Tokens made by Python's cryptography.fernet (test/data/fernet/make_python_vectors.py).
TEST(FernetPython, SameBytesForTheSameIvAndTime) {
    for (const json &v : load("python.json")) {
        auto key = fernet::parse_key(v["secret"].get<std::string>());
        EXPECT_EQ(fernet::encrypt_at(key, v["src"].get<std::string>(),
                                     v["now"].get<std::uint64_t>(), block(v["iv"])),
                  v["token"].get<std::string>())
            << v["src"];
    }
}

TEST(FernetPython, ReadsPythonTokens) {
    for (const json &v : load("python.json")) {
        auto key = fernet::parse_key(v["secret"].get<std::string>());
        EXPECT_EQ(fernet::decrypt(key, v["token"].get<std::string>()), v["src"].get<std::string>());
        EXPECT_EQ(fernet::decrypt(key, v["random_iv_token"].get<std::string>()),
                  v["src"].get<std::string>());
    }
}

TEST(Fernet, RoundTripWithRandomIv) {
    auto key = fernet::parse_key("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
    std::string text = R"({"password": "s3cret", "type": "basic", "user": "etl"})";
    std::string a = fernet::encrypt(key, text);
    std::string b = fernet::encrypt(key, text);
    EXPECT_NE(a, b) << "a fresh IV each time";
    EXPECT_EQ(fernet::decrypt(key, a), text);
    EXPECT_EQ(a.find(text), std::string::npos);
}

TEST(Fernet, TamperedOrTruncatedIsAnErrorNeverGarbage) {
    auto key = fernet::parse_key("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
    std::string token = fernet::encrypt(key, "credentials");
    std::string raw = *fernet::base64url_decode(token);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        std::string flipped = raw;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
        EXPECT_THROW(fernet::decrypt(key, fernet::base64url_encode(flipped)), fernet::Invalid)
            << "byte " << i;
    }
    for (std::size_t cut = 0; cut < token.size(); cut += 7) {
        EXPECT_THROW(fernet::decrypt(key, token.substr(0, cut)), fernet::Invalid) << cut;
    }
    auto other = fernet::parse_key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    EXPECT_THROW(fernet::decrypt(other, token), fernet::Invalid);
}

TEST(Fernet, KeysAreUrlSafeBase64Of32Bytes) {
    EXPECT_NO_THROW(fernet::parse_key("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="));
    EXPECT_THROW(fernet::parse_key("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4"), fernet::Invalid)
        << "unpadded, as Python refuses it";
    EXPECT_THROW(fernet::parse_key(""), fernet::Invalid);
    EXPECT_THROW(fernet::parse_key("c2hvcnQ="), fernet::Invalid);
    EXPECT_THROW(fernet::parse_key("cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4="), fernet::Invalid)
        << "standard base64 is not url-safe";
    EXPECT_THROW(fernet::parse_key("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4e4="),
                 fernet::Invalid);
}

TEST(Base64Url, RoundTripsEveryLength) {
    std::string bytes;
    for (int n = 0; n < 70; ++n) {
        EXPECT_EQ(fernet::base64url_decode(fernet::base64url_encode(bytes)), bytes);
        bytes += static_cast<char>(n * 37 + 250);
    }
    EXPECT_EQ(fernet::base64url_encode("\xfb\xff"), "-_8=");
    EXPECT_EQ(fernet::base64url_decode("a"), std::nullopt);
    EXPECT_EQ(fernet::base64url_decode("-_8"), std::nullopt);
    EXPECT_EQ(fernet::base64url_decode("-_8="), std::string("\xfb\xff"));
    EXPECT_EQ(fernet::base64url_decode("ab+="), std::nullopt);
}
