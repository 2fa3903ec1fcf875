// Emoji matching over the table generated from Unicode's emoji-test.txt.
#include "core/emoji.h"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace weft {
namespace {

struct Table {
  std::unordered_map<std::string_view, std::string_view> codes;
  size_t longest = 0;
};

const Table& Emoji() {
  static const Table kTable = [] {
    static constexpr std::pair<std::string_view, std::string_view> kEntries[] = {
#include "emoji_table.inc"
    };
    Table t;
    for (const auto& [seq, code] : kEntries) {
      t.codes.emplace(seq, code);
      t.longest = std::max(t.longest, seq.size());
    }
    return t;
  }();
  return kTable;
}

size_t Utf8Length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// Walks the text, calling on_emoji(shortcode) for each longest emoji match
// and on_text(bytes) for everything else.
void Scan(std::string_view text, const std::function<void(std::string_view)>& on_emoji,
          const std::function<void(std::string_view)>& on_text) {
  const Table& t = Emoji();
  for (size_t i = 0; i < text.size();) {
    size_t best = 0;
    std::string_view code;
    for (size_t n = std::min(t.longest, text.size() - i); n > 0; --n) {
      auto it = t.codes.find(text.substr(i, n));
      if (it != t.codes.end()) {
        best = n;
        code = it->second;
        break;
      }
    }
    if (best) {
      on_emoji(code);
      i += best;
    } else {
      size_t n = std::min(Utf8Length(text[i]), text.size() - i);
      on_text(text.substr(i, n));
      i += n;
    }
  }
}

}  // namespace

int EmojiCount(const std::string& text) {
  int n = 0;
  Scan(
      text, [&](std::string_view) { ++n; }, [](std::string_view) {});
  return n;
}

std::string Demojize(const std::string& text) {
  std::string out;
  Scan(
      text, [&](std::string_view code) { out += code; }, [&](std::string_view s) { out += s; });
  return out;
}

std::string Detone(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t n = std::min(Utf8Length(text[i]), text.size() - i);
    std::string_view ch(text.data() + i, n);
    // U+1F3FB..U+1F3FF are F0 9F 8F BB..BF
    bool tone = n == 4 && ch.substr(0, 3) == "\xF0\x9F\x8F" &&
                static_cast<unsigned char>(ch[3]) >= 0xBB &&
                static_cast<unsigned char>(ch[3]) <= 0xBF;
    if (!tone) out += ch;
    i += n;
  }
  return out;
}

}  // namespace weft
