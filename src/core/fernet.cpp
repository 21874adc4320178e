#include "core/fernet.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <memory>
#include <vector>

namespace syncmaster::core::fernet {

namespace {

constexpr std::uint8_t kVersion = 0x80;
constexpr std::size_t kHeader = 1 + 8 + 16;  // version, timestamp, IV
constexpr std::size_t kMac = 32;
constexpr std::uint64_t kMaxClockSkew = 60;

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '-') {
        return 62;
    }
    if (c == '_') {
        return 63;
    }
    return -1;
}

std::uint64_t now_seconds() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext new_context() {
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) {
        throw std::bad_alloc();
    }
    return ctx;
}

std::array<std::uint8_t, kMac> hmac(const Block &key, const std::string &data) {
    std::array<std::uint8_t, kMac> out{};
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char *>(data.data()), data.size(), out.data(),
             &length) == nullptr ||
        length != kMac) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return out;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        std::uint32_t v = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8) |
                          std::uint8_t(bytes[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        std::uint32_t v = std::uint8_t(bytes[i]) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        std::uint32_t v = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    // Padded to a multiple of 4, as Python's base64.urlsafe_b64decode insists.
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::size_t padding = 0;
    while (padding < 2 && !text.empty() && text.back() == '=') {
        text.remove_suffix(1);
        ++padding;
    }
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        int v = decode_char(c);
        if (v < 0) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    // Leftover bits must be zero, as a canonical encoder leaves them.
    if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) {
        return std::nullopt;
    }
    return out;
}

Key parse_key(std::string_view text) {
    std::optional<std::string> raw = base64url_decode(text);
    if (!raw || raw->size() != 32) {
        throw Invalid("a Fernet key is url-safe base64 of 32 bytes");
    }
    Key key;
    std::copy(raw->begin(), raw->begin() + 16, key.signing.begin());
    std::copy(raw->begin() + 16, raw->end(), key.encryption.begin());
    return key;
}

std::string encrypt_at(const Key &key, std::string_view plaintext, std::uint64_t timestamp,
                       const Block &iv) {
    CipherContext ctx = new_context();
    std::vector<unsigned char> ciphertext(plaintext.size() + 16);
    int written = 0;
    int final_written = 0;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.encryption.data(),
                           iv.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), ciphertext.data(), &written,
                          reinterpret_cast<const unsigned char *>(plaintext.data()),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), ciphertext.data() + written, &final_written) != 1) {
        throw std::runtime_error("AES-128-CBC encryption failed");
    }
    std::string token;
    token.reserve(kHeader + written + final_written + kMac);
    token += static_cast<char>(kVersion);
    for (int shift = 56; shift >= 0; shift -= 8) {
        token += static_cast<char>((timestamp >> shift) & 0xFF);
    }
    token.append(reinterpret_cast<const char *>(iv.data()), iv.size());
    token.append(reinterpret_cast<const char *>(ciphertext.data()), written + final_written);
    auto mac = hmac(key.signing, token);
    token.append(reinterpret_cast<const char *>(mac.data()), mac.size());
    return base64url_encode(token);
}

std::string encrypt(const Key &key, std::string_view plaintext) {
    Block iv;
    if (RAND_bytes(iv.data(), static_cast<int>(iv.size())) != 1) {
        throw std::runtime_error("no random bytes for the IV");
    }
    return encrypt_at(key, plaintext, now_seconds(), iv);
}

std::string decrypt(const Key &key, std::string_view token, std::optional<std::uint64_t> ttl,
                    std::optional<std::uint64_t> now) {
    std::optional<std::string> raw = base64url_decode(token);
    if (!raw) {
        throw Invalid("the token is not url-safe base64");
    }
    const std::string &data = *raw;
    if (data.size() < kHeader + 16 + kMac || (data.size() - kHeader - kMac) % 16 != 0) {
        throw Invalid("the token is truncated or malformed");
    }
    if (std::uint8_t(data[0]) != kVersion) {
        throw Invalid("the token's version is not 0x80");
    }
    std::uint64_t timestamp = 0;
    for (std::size_t i = 1; i <= 8; ++i) {
        timestamp = (timestamp << 8) | std::uint8_t(data[i]);
    }
    std::string signed_part = data.substr(0, data.size() - kMac);
    auto expected = hmac(key.signing, signed_part);
    if (CRYPTO_memcmp(expected.data(), data.data() + data.size() - kMac, kMac) != 0) {
        throw Invalid("the token's HMAC does not match: tampered, or another key");
    }
    std::uint64_t current = now ? *now : now_seconds();
    if (timestamp > current + kMaxClockSkew) {
        throw Invalid("the token's timestamp is too far in the future");
    }
    if (ttl && timestamp + *ttl < current) {
        throw Invalid("the token has expired");
    }
    CipherContext ctx = new_context();
    const auto *iv = reinterpret_cast<const unsigned char *>(data.data() + 9);
    const auto *ciphertext = reinterpret_cast<const unsigned char *>(data.data() + kHeader);
    int ciphertext_size = static_cast<int>(data.size() - kHeader - kMac);
    std::vector<unsigned char> plaintext(ciphertext_size + 16);
    int written = 0;
    int final_written = 0;
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.encryption.data(), iv) != 1 ||
        EVP_DecryptUpdate(ctx.get(), plaintext.data(), &written, ciphertext, ciphertext_size) !=
            1 ||
        EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + written, &final_written) != 1) {
        throw Invalid("the token's padding is wrong");
    }
    return std::string(reinterpret_cast<const char *>(plaintext.data()), written + final_written);
}

}  // namespace syncmaster::core::fernet
