// Search (DESIGN §11, SYNCMASTER.md §1.3 and §9): the pieces of SyncMaster's full-text search that
// are plain text processing. The adapter feeds them to to_tsvector/to_tsquery.
#pragma once

#include "core/pure.hpp"

#include <string>
#include <string_view>

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

}  // namespace syncmaster::core::search
