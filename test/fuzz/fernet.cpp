// core::fernet: keys and tokens as they come from configuration and from auth_data. A malformed
// token is fernet::Invalid, the one refusal here; a token it made must open again.
#include "core/fernet.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace syncmaster;
    namespace fernet = core::fernet;
    static const fernet::Key key = fernet::parse_key("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
    std::string_view text = fuzz::text(data, size);
    try {
        fernet::parse_key(text);
    } catch (const fernet::Invalid &) {
    }
    fernet::base64url_decode(text);
    try {
        fernet::decrypt(key, text);
    } catch (const fernet::Invalid &) {
    }
    if (fernet::decrypt(key, fernet::encrypt(key, text)) != text) {
        __builtin_trap();
    }
    return 0;
}
