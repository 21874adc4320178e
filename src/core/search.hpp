// Search: the pieces of SyncMaster's full-text search that
// are plain text processing. The adapter feeds them to to_tsvector/to_tsquery.
#pragma once

#include "core/pure.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace syncmaster::core::search {

// SyncMaster's translate(x, './-_:\', '      '): the six separators become spaces, so that
// "db.example.com" is indexed word by word as well as whole.
std::string split_separators(std::string_view text);

// The to_tsquery('simple', ...) text SyncMaster builds from a search string:
//   ('w1' & 'w2') | ('w1':* & 'w2':*) [| ('p1':* & 'p2':* ...)]
// where the words are the input with all punctuation but / . _ - turned to spaces (tokens made of
// punctuation alone dropped), and the last part, present only when it differs, splits on all
// punctuation. Empty when the input has no word: such a search matches nothing.
std::string tsquery_text(std::string_view input);

// What an entity's search vector is made of (SyncMaster's formula): its name, with the 'russian'
// and the 'simple' configuration and split at separators; then groups of further texts, each group
// its texts as they are and then split. A text is a column, or a field of a jsonb column (->>).
struct Text {
    const char *column;
    const char *json_field = nullptr;
};
struct TextGroup {
    Text texts[2];
    int count = 0;
};
struct Searchable {
    TextGroup groups[2];
    int count = 0;
};

// The (russian?, text) pairs whose to_tsvector, concatenated in this order, is the vector of a row
// with this name and these group texts (texts[g][i] of searchable.groups[g].texts[i]).
std::vector<std::pair<bool, std::string>> vector_parts(
    const std::string &name, const std::vector<std::vector<std::string>> &texts);

}  // namespace syncmaster::core::search
