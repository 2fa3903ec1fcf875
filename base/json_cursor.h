// A strict, allocation-free reader of JSON text for the bulk-ingest paths
// (calls import, weft import): it walks an object's members and hands out
// strings and the raw text of values, checking everything it passes over
// as ParseJson would. It declines (ok() turns false) on anything it is not
// sure of — invalid JSON, but also exponents past two digits, integers past
// 18 digits, nesting past kMaxCursorDepth — and the caller then takes the
// general path through ParseJson, which explains the problem or accepts the
// value. So whatever the cursor accepts, ParseJson accepts as the same value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace weft {

inline constexpr size_t kMaxCursorDepth = 64;

class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text) : text_(text) {}

  // Enters the object that comes next.
  bool Object() { return Open('{'); }
  // The key of the next member of the object being read, its ':' passed;
  // false at the object's end (or on an error: see ok()).
  bool Member(std::string_view& key);
  // Enters the array that comes next.
  bool Array() { return Open('['); }
  // Whether another element of the array being read comes (its ',' passed;
  // read it with Raw); false at the array's end (or on an error).
  bool Element() { return Next(']'); }
  // A string value, unescaped into out (a view into the text when it holds
  // no escapes, else into scratch).
  bool String(std::string_view& out, std::string& scratch);
  // Any value, checked, as the exact text it was written with; with
  // minified, also appended there without the white space between tokens.
  bool Raw(std::string_view& raw, std::string* minified = nullptr);
  // Passes a null if one comes next.
  bool Null();
  // The next value's first character (after white space), or '\0'.
  char Peek();
  // Whether nothing but white space is left.
  bool AtEnd();

  bool ok() const { return ok_; }
  // A declined value: the caller takes the general path.
  bool Decline() { return Fail(); }
  // How far into the text the reader is.
  size_t offset() const { return pos_; }

 private:
  bool Fail() { return ok_ = false; }
  bool Open(char open);
  // Past the ',' before the next member or element; false at `close`.
  bool Next(char close);
  void SkipSpace();
  bool ScanString(std::string* unescaped, bool* escaped);
  bool ScanEscape(uint32_t* cp);
  bool ScanHex4(uint32_t& v);
  bool ScanNumber();
  bool ScanLiteral(std::string_view word);
  bool ScanValue();

  std::string_view text_;
  size_t pos_ = 0;
  std::string* minified_ = nullptr;  // where Raw copies the text between white space
  size_t run_ = 0;                   // the start of the text not yet copied there
  bool first_ = false;               // no member of the current object read yet
  bool ok_ = true;
};

// The value that comes next written to out as CompactDumps would write it
// (members sorted by key, strings escaped its way), without a JSON tree;
// false for what the cursor declines and for a number not in
// CompactDumps' form or a repeated key: then ParseJson and CompactDumps.
bool WriteCanonical(JsonCursor& in, std::string& out);

}  // namespace weft
