// Emoji in feedback reactions (docs/semantics.md#feedback): counting emoji and writing
// their shortcodes as the Python `emoji` package does.
#pragma once

#include <string>

namespace weft {

// How many emoji the text holds (longest sequences first).
int EmojiCount(const std::string& text);

// The text with every emoji replaced by its shortcode (":thumbs_up:").
std::string Demojize(const std::string& text);

// The text without skin-tone modifiers (U+1F3FB..U+1F3FF).
std::string Detone(const std::string& text);

}  // namespace weft
