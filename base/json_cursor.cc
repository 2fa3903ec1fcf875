// The JSON cursor: RFC 8259 grammar, UTF-8 and escapes checked in one pass.
#include "base/json_cursor.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/utf8.h"

namespace weft {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  return IsDigit(c)             ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

// The first position from pos on that holds a byte a string cannot take
// as it is: '"', '\\', a control character or a non-ASCII byte. Eight
// bytes at a time (strings are most of bulk-ingest text).
size_t PlainUntil(std::string_view s, size_t pos) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  auto has_zero = [&](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  for (; pos + 8 <= s.size(); pos += 8) {
    uint64_t v;
    std::memcpy(&v, s.data() + pos, 8);
    uint64_t special = (v & kHigh) | ((v - kOnes * 0x20) & ~v & kHigh) |
                       has_zero(v ^ (kOnes * '"')) | has_zero(v ^ (kOnes * '\\'));
    if (special) return pos + static_cast<size_t>(__builtin_ctzll(special) / 8);
  }
  while (pos < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
    ++pos;
  }
  return pos;
}

// A code point as UTF-8.
void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void JsonCursor::SkipSpace() {
  size_t from = pos_;
  while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  if (minified_ && pos_ != from) {
    minified_->append(text_.substr(run_, from - run_));
    run_ = pos_;
  }
}

char JsonCursor::Peek() {
  SkipSpace();
  return pos_ < text_.size() ? text_[pos_] : '\0';
}

bool JsonCursor::AtEnd() {
  SkipSpace();
  return ok_ && pos_ == text_.size();
}

bool JsonCursor::Open(char open) {
  if (!ok_ || Peek() != open) return Fail();
  ++pos_;
  first_ = true;
  return true;
}

bool JsonCursor::Next(char close) {
  if (!ok_) return false;
  char c = Peek();
  if (c == close) {
    ++pos_;
    first_ = false;
    return false;
  }
  if (!first_) {
    if (c != ',') return Fail();
    ++pos_;
  }
  first_ = false;
  return true;
}

bool JsonCursor::Member(std::string_view& key) {
  if (!Next('}')) return false;
  if (Peek() != '"') return Fail();
  size_t start = pos_ + 1;
  bool escaped = false;
  if (!ScanString(nullptr, &escaped) || escaped) return Fail();  // escaped keys: the general path
  key = text_.substr(start, pos_ - 1 - start);
  if (Peek() != ':') return Fail();
  ++pos_;
  return true;
}

bool JsonCursor::String(std::string_view& out, std::string& scratch) {
  if (!ok_ || Peek() != '"') return Fail();
  size_t start = pos_ + 1;
  bool escaped = false;
  scratch.clear();
  if (!ScanString(&scratch, &escaped)) return false;
  out = escaped ? std::string_view(scratch) : text_.substr(start, pos_ - 1 - start);
  return true;
}

bool JsonCursor::Raw(std::string_view& raw, std::string* minified) {
  if (!ok_) return false;
  SkipSpace();
  size_t start = run_ = pos_;
  minified_ = minified;
  bool scanned = ScanValue();
  minified_ = nullptr;
  if (!scanned) return false;
  raw = text_.substr(start, pos_ - start);
  if (minified) minified->append(text_.substr(run_, pos_ - run_));
  return true;
}

bool JsonCursor::Null() {
  if (!ok_ || Peek() != 'n') return false;
  return ScanLiteral("null");
}

// Four hex digits of a \u escape.
bool JsonCursor::ScanHex4(uint32_t& v) {
  if (pos_ + 4 > text_.size()) return false;
  v = 0;
  for (int k = 0; k < 4; ++k) {
    int h = HexValue(text_[pos_++]);
    if (h < 0) return false;
    v = v << 4 | static_cast<uint32_t>(h);
  }
  return true;
}

// Just after a backslash inside a string; passes the escape and answers the
// code point it stands for (a surrogate pair is one).
bool JsonCursor::ScanEscape(uint32_t* out) {
  uint32_t cp;
  char e = text_[pos_++];
  switch (e) {
    case '"':
    case '\\':
    case '/': cp = static_cast<uint32_t>(e); break;
    case 'b': cp = '\b'; break;
    case 'f': cp = '\f'; break;
    case 'n': cp = '\n'; break;
    case 'r': cp = '\r'; break;
    case 't': cp = '\t'; break;
    case 'u': {
      if (!ScanHex4(cp) || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;
      if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate must have its low one next
        uint32_t low;
        if (text_.substr(pos_, 2) != "\\u") return false;
        pos_ += 2;
        if (!ScanHex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      }
      break;
    }
    default: return false;
  }
  *out = cp;
  return true;
}

// At the opening quote; passes the closing one. With unescaped, the string's
// value goes there once an escape is met (*escaped tells).
bool JsonCursor::ScanString(std::string* unescaped, bool* escaped) {
  size_t run = ++pos_;  // the start of the text not yet copied to unescaped
  while (pos_ < text_.size()) {
    pos_ = PlainUntil(text_, pos_);
    if (pos_ >= text_.size()) break;
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      if (unescaped && *escaped) unescaped->append(text_.substr(run, pos_ - run));
      ++pos_;
      return true;
    }
    if (c < 0x20) return Fail();
    if (c >= 0x80) {
      size_t n = Utf8SequenceAt(text_, pos_);
      if (!n) return Fail();
      pos_ += n;
      continue;
    }
    if (c != '\\') {
      ++pos_;
      continue;
    }
    if (unescaped) unescaped->append(text_.substr(run, pos_ - run));
    *escaped = true;
    if (++pos_ >= text_.size()) return Fail();
    uint32_t cp;
    if (!ScanEscape(&cp)) return Fail();
    if (unescaped) AppendUtf8(*unescaped, cp);
    run = pos_;
  }
  return Fail();
}

// -?(0|[1-9][0-9]{0,17})(\.[0-9]+)?([eE][+-]?[0-9]{1,2})? — every such
// number fits where ParseJson puts it; longer ones are left to ParseJson.
bool JsonCursor::ScanNumber() {
  auto digits = [&] {
    size_t from = pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    return pos_ - from;
  };
  if (text_[pos_] == '-') ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '0') {
    ++pos_;
  } else {
    size_t n = digits();
    if (n == 0 || n > 18) return Fail();
  }
  if (pos_ < text_.size() && text_[pos_] == '.') {
    ++pos_;
    if (digits() == 0) return Fail();
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    size_t n = digits();
    if (n == 0 || n > 2) return Fail();
  }
  return true;
}

bool JsonCursor::ScanLiteral(std::string_view word) {
  if (text_.substr(pos_, word.size()) != word) return Fail();
  pos_ += word.size();
  return true;
}

// One value of any kind; containers are walked with a stack of bits (1: an
// object, 0: an array), not by recursion.
bool JsonCursor::ScanValue() {
  uint64_t objects = 0;
  size_t depth = 0;
  auto key_colon = [&] {
    bool escaped = false;
    if (Peek() != '"' || !ScanString(nullptr, &escaped) || Peek() != ':') return Fail();
    ++pos_;
    return true;
  };
  for (;;) {
    char c = Peek();
    bool done;  // a whole value was read (not an opened container)
    if (c == '{' || c == '[') {
      if (depth == kMaxCursorDepth) return Fail();
      ++pos_;
      objects = objects << 1 | (c == '{');
      ++depth;
      done = Peek() == (c == '{' ? '}' : ']');
      if (done) {
        ++pos_;
        objects >>= 1;
        --depth;
      } else if (c == '{' && !key_colon()) {
        return false;
      }
    } else {
      bool escaped = false, ok;
      if (c == '"')
        ok = ScanString(nullptr, &escaped);
      else if (c == '-' || IsDigit(c))
        ok = ScanNumber();
      else if (c == 't')
        ok = ScanLiteral("true");
      else if (c == 'f')
        ok = ScanLiteral("false");
      else if (c == 'n')
        ok = ScanLiteral("null");
      else
        ok = Fail();
      if (!ok) return false;
      done = true;
    }
    // After a whole value: close containers, or go on to the next member.
    while (done) {
      if (depth == 0) return true;
      bool in_object = objects & 1;
      char d = Peek();
      ++pos_;
      if (d == ',') {
        if (in_object && !key_colon()) return false;
        done = false;
      } else if (d == (in_object ? '}' : ']')) {
        objects >>= 1;
        --depth;
      } else {
        return Fail();
      }
    }
  }
}

namespace {

bool WriteCanonicalAt(JsonCursor& in, std::string& out, size_t depth) {
  char next = in.Peek();
  if ((next == '{' || next == '[') && depth == kMaxCursorDepth) return in.Decline();
  if (next == '{') {
    std::vector<std::pair<std::string_view, std::string>> members;
    std::string_view key;
    if (!in.Object()) return false;
    while (in.Member(key)) {
      members.emplace_back(key, std::string());
      if (!WriteCanonicalAt(in, members.back().second, depth + 1)) return false;
    }
    std::sort(members.begin(), members.end());
    for (size_t i = 1; i < members.size(); ++i)
      if (members[i - 1].first == members[i].first) return in.Decline();  // which one wins?
    out += '{';
    for (const auto& [k, v] : members) AppendMember(out, k, v);
    out += '}';
    return in.ok();
  }
  if (next == '[') {
    if (!in.Array()) return false;
    out += '[';
    for (bool first = true; in.Element(); first = false) {
      if (!first) out += ',';
      if (!WriteCanonicalAt(in, out, depth + 1)) return false;
    }
    out += ']';
    return in.ok();
  }
  std::string_view text;
  std::string scratch;
  if (next == '"') {
    if (!in.String(text, scratch)) return false;
    AppendJsonString(out, text);
    return true;
  }
  if (!in.Raw(text)) return false;
  if (next == '-' || (next >= '0' && next <= '9'))
    if (!IsCompactDumps(text)) return in.Decline();  // 1e2, 1.50: as nlohmann prints them
  out += text;
  return true;
}

}  // namespace

bool WriteCanonical(JsonCursor& in, std::string& out) { return WriteCanonicalAt(in, out, 0); }

}  // namespace weft
