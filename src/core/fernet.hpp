// Fernet tokens (github.com/fernet/spec): AES-128-CBC with PKCS#7 padding, authenticated with
// HMAC-SHA256, version byte 0x80, url-safe base64 with padding. Bit-compatible with Python's
// cryptography.fernet, which SyncMaster uses for auth_data.value, so an existing SyncMaster
// database's credentials can be read with its key. OpenSSL's libcrypto does the cryptography.
#pragma once

#include "core/pure.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace syncmaster::core::fernet {

using Block = std::array<std::uint8_t, 16>;

// A Fernet key: url-safe base64 of 32 bytes, the first 16 signing, the last 16 encrypting.
struct Key {
    Block signing{};
    Block encryption{};
};

// Why a key or a token was refused. Never carries key or plaintext bytes.
class Invalid : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws Invalid when the text is not url-safe base64 of exactly 32 bytes.
Key parse_key(std::string_view text);

// A token for plaintext, with a fresh random IV and the current time.
std::string encrypt(const Key &key, std::string_view plaintext);

// A token with the given IV and timestamp: deterministic, for tests against other
// implementations.
std::string encrypt_at(const Key &key, std::string_view plaintext, std::uint64_t timestamp,
                       const Block &iv);

// The plaintext of a token. Throws Invalid for a malformed, tampered or truncated token (the HMAC
// is compared in constant time before anything is decrypted), a wrong key, a token more than 60
// seconds in the future of `now`, or, when ttl is given, one older than ttl seconds. `now`
// defaults to the current time.
std::string decrypt(const Key &key, std::string_view token,
                    std::optional<std::uint64_t> ttl = std::nullopt,
                    std::optional<std::uint64_t> now = std::nullopt);

// url-safe base64 with padding, as Python's base64.urlsafe_b64encode.
std::string base64url_encode(std::string_view bytes);
// Its inverse; nullopt for anything that is not padded url-safe base64.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace syncmaster::core::fernet
