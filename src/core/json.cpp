#include "core/json.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <vector>

namespace syncmaster::core::json {

namespace {

// A decimal number as sign, significant digits (no leading or trailing zeros) and the exponent of
// the last digit: 12.50 → (+, "125", -1). Zero has no digits.
struct Decimal {
    bool negative = false;
    std::string digits;
    long exponent = 0;

    bool operator==(const Decimal &other) const {
        if (digits.empty() || other.digits.empty()) {
            return digits.empty() && other.digits.empty();
        }
        return negative == other.negative && digits == other.digits && exponent == other.exponent;
    }
};

Decimal decimal(std::string_view literal) {
    Decimal d;
    std::size_t i = 0;
    if (i < literal.size() && (literal[i] == '-' || literal[i] == '+')) {
        d.negative = literal[i] == '-';
        ++i;
    }
    long fraction_digits = 0;
    bool in_fraction = false;
    for (; i < literal.size(); ++i) {
        char c = literal[i];
        if (c == '.') {
            in_fraction = true;
        } else if (c >= '0' && c <= '9') {
            d.digits += c;
            fraction_digits += in_fraction ? 1 : 0;
        } else {
            break;
        }
    }
    long exponent = 0;
    if (i < literal.size() && (literal[i] == 'e' || literal[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < literal.size() && (literal[i] == '-' || literal[i] == '+')) {
            negative = literal[i] == '-';
            ++i;
        }
        for (; i < literal.size() && literal[i] >= '0' && literal[i] <= '9'; ++i) {
            if (exponent < 100000) {
                exponent = exponent * 10 + (literal[i] - '0');
            }
        }
        exponent = negative ? -exponent : exponent;
    }
    d.exponent = exponent - fraction_digits;
    std::size_t first = d.digits.find_first_not_of('0');
    if (first == std::string::npos) {
        d.digits.clear();
        return d;
    }
    d.digits.erase(0, first);
    while (d.digits.back() == '0') {
        d.digits.pop_back();
        ++d.exponent;
    }
    return d;
}

// nlohmann's DOM builder, with the path of the value being read, refusing inexact numbers.
class Builder {
public:
    Builder(Json &root, const std::string &what) : dom_(root, true), what_(what) {}

    bool null() { return value() && dom_.null(); }
    bool boolean(bool v) { return value() && dom_.boolean(v); }
    bool number_integer(Json::number_integer_t v) { return value() && dom_.number_integer(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return value() && dom_.number_unsigned(v); }
    bool number_float(Json::number_float_t v, const std::string &literal) {
        value();
        if (!same_number(literal, v)) {
            inexact();
        }
        return dom_.number_float(v, literal);
    }
    bool string(std::string &v) { return value() && dom_.string(v); }
    bool binary(Json::binary_t &v) { return value() && dom_.binary(v); }
    bool start_object(std::size_t n) {
        value();
        deeper();
        levels_.push_back(Level{false, 0, {}});
        return dom_.start_object(n);
    }
    bool key(std::string &k) {
        levels_.back().key = k;
        return dom_.key(k);
    }
    bool end_object() {
        levels_.pop_back();
        return dom_.end_object();
    }
    bool start_array(std::size_t n) {
        value();
        deeper();
        levels_.push_back(Level{true, 0, {}});
        return dom_.start_array(n);
    }
    bool end_array() {
        levels_.pop_back();
        return dom_.end_array();
    }
    template <typename Exception>
    bool parse_error(std::size_t, const std::string &, const Exception &e) {
        if (e.id == 406) {  // a number beyond double range
            value();
            inexact();
        }
        throw Error(sqlstate::kInvalidInput, what_ + ": invalid JSON");
    }

private:
    struct Level {
        bool array;
        std::size_t count;  // elements read so far (arrays)
        std::string key;    // the key of the value being read (objects)
    };

    // A value starts: in an array, it is the next element.
    bool value() {
        if (!levels_.empty() && levels_.back().array) {
            ++levels_.back().count;
        }
        return true;
    }

    std::string path() const {
        std::string out;
        for (const Level &level : levels_) {
            if (level.array) {
                out += "[" + std::to_string(level.count == 0 ? 0 : level.count - 1) + "]";
            } else {
                out += (out.empty() ? "" : ".") + level.key;
            }
        }
        return out;
    }

    void deeper() const {
        if (levels_.size() >= kMaxDepth) {
            throw Error(sqlstate::kInvalidInput, what_ + ": JSON nested deeper than " +
                                                     std::to_string(kMaxDepth) + " levels");
        }
    }

    [[noreturn]] void inexact() const {
        throw Error(sqlstate::kInvalidInput,
                    what_ + ": field \"" + path() +
                        "\" must be a number that a 64-bit integer or a double holds exactly");
    }

    nlohmann::detail::json_sax_dom_parser<Json> dom_;
    const std::string &what_;
    std::vector<Level> levels_;
};

}  // namespace

bool same_number(std::string_view literal, double value) {
    if (!std::isfinite(value)) {
        return false;
    }
    // The shortest text that reads back as `value` (nlohmann's dump: Grisu2).
    return decimal(literal) == decimal(Json(value).dump());
}

namespace {

void append_text(const Json &value, KeyOrder order, std::string &out) {
    if (value.is_object()) {
        std::vector<const std::string *> keys;
        keys.reserve(value.size());
        for (auto it = value.begin(); it != value.end(); ++it) {
            keys.push_back(&it.key());  // nlohmann's objects iterate bytewise
        }
        if (order == KeyOrder::kJsonb) {
            std::stable_sort(
                keys.begin(), keys.end(),
                [](const std::string *a, const std::string *b) { return a->size() < b->size(); });
        }
        out += '{';
        for (std::size_t i = 0; i < keys.size(); ++i) {
            out += i == 0 ? "" : ", ";
            out += Json(*keys[i]).dump();
            out += ": ";
            append_text(value.at(*keys[i]), order, out);
        }
        out += '}';
    } else if (value.is_array()) {
        out += '[';
        for (std::size_t i = 0; i < value.size(); ++i) {
            out += i == 0 ? "" : ", ";
            append_text(value[i], order, out);
        }
        out += ']';
    } else {
        out += value.dump();
    }
}

}  // namespace

std::string text(const Json &value, KeyOrder order) {
    std::string out;
    append_text(value, order, out);
    return out;
}

std::string jsonb_text(const Json &value) {
    return text(value, KeyOrder::kJsonb);
}

Json parse(std::string_view text, const std::string &what) {
    if (text.size() > kMaxDocumentBytes) {
        throw Error(sqlstate::kInvalidInput, what + ": a JSON document must be at most " +
                                                 std::to_string(kMaxDocumentBytes) +
                                                 " bytes, got " + std::to_string(text.size()));
    }
    Json root;
    Builder builder(root, what);
    Json::sax_parse(text.begin(), text.end(), &builder);
    return root;
}

}  // namespace syncmaster::core::json
