// What a user most likely meant by a command word that is not one:
// "did you mean `calls query`?" for `weft calls qurey`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace weft::cli {

// The candidate closest to word by edit distance, when it is close enough
// to be a typo (at most a third of the word's length, and 1 for short
// words); "" otherwise.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace weft::cli
