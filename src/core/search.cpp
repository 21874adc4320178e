#include "core/search.hpp"

#include <vector>

namespace syncmaster::core::search {

namespace {

// Python's string.punctuation: the ASCII punctuation characters.
bool is_punctuation(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::vector<std::string> split_words(const std::string &text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        if (is_space(c)) {
            if (!word.empty()) {
                words.push_back(word);
                word.clear();
            }
        } else {
            word += c;
        }
    }
    if (!word.empty()) {
        words.push_back(word);
    }
    return words;
}

// The punctuation of `input` turned to spaces, except the characters in `keep`.
std::string blank_punctuation(std::string_view input, std::string_view keep) {
    std::string out(input);
    for (char &c : out) {
        if (is_punctuation(c) && keep.find(c) == std::string_view::npos) {
            c = ' ';
        }
    }
    return out;
}

bool only_punctuation(const std::string &word) {
    for (char c : word) {
        if (!is_punctuation(c)) {
            return false;
        }
    }
    return true;
}

// ('w1' & 'w2' ...) with each word quoted and followed by suffix; "" for no words.
std::string conjunction(const std::vector<std::string> &words, const char *suffix) {
    if (words.empty()) {
        return {};
    }
    std::string out = "(";
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) {
            out += " & ";
        }
        out += "'" + words[i] + "'" + suffix;
    }
    return out + ")";
}

}  // namespace

std::string split_separators(std::string_view text) {
    std::string out(text);
    for (char &c : out) {
        if (c == '.' || c == '/' || c == '-' || c == '_' || c == ':' || c == '\\') {
            c = ' ';
        }
    }
    return out;
}

std::string tsquery_text(std::string_view input) {
    std::vector<std::string> original;
    for (std::string &w : split_words(blank_punctuation(input, "/._-"))) {
        if (!only_punctuation(w)) {
            original.push_back(std::move(w));
        }
    }
    std::vector<std::string> only_words = split_words(blank_punctuation(input, ""));

    std::vector<std::string> parts = {conjunction(original, ""), conjunction(original, ":*")};
    if (only_words != original) {
        parts.push_back(conjunction(only_words, ":*"));
    }
    std::string out;
    for (const std::string &part : parts) {
        if (part.empty()) {
            continue;
        }
        if (!out.empty()) {
            out += " | ";
        }
        out += part;
    }
    return out;
}

std::vector<std::pair<bool, std::string>> vector_parts(
    const std::string &name, const std::vector<std::vector<std::string>> &texts) {
    std::vector<std::pair<bool, std::string>> parts = {
        {true, name}, {false, name}, {false, split_separators(name)}};
    for (const std::vector<std::string> &group : texts) {
        for (const std::string &text : group) {
            parts.emplace_back(false, text);
        }
        for (const std::string &text : group) {
            parts.emplace_back(false, split_separators(text));
        }
    }
    return parts;
}

}  // namespace syncmaster::core::search
