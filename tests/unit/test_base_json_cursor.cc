// The JSON cursor of the bulk-ingest paths: it accepts only what ParseJson
// accepts, as the same value, and declines the rest.
#include <doctest/doctest.h>

#include "base/json.h"
#include "base/json_cursor.h"

using namespace weft;

namespace {

// Whether the cursor reads text as one whole value; minified gets it
// without white space.
bool ReadsWhole(std::string_view text, std::string* minified = nullptr) {
  JsonCursor in(text);
  std::string_view raw;
  std::string m;
  bool ok = in.Raw(raw, &m) && in.AtEnd();
  if (minified) *minified = m;
  return ok;
}

}  // namespace

TEST_CASE("the cursor accepts valid JSON as ParseJson reads it") {
  const char* valid[] = {
      "{}",
      "[]",
      " {\"a\" : [1, -2.5, 0.125e-5, true, false, null, \"x\"]} ",
      "\"\\u00e9\\ud83d\\ude00\\n\\/\"",
      "[[[{\"k\":{}}]]]",
      "0",
      "-0.0",
      "123456789012345678",
      "1E+99",
      "\"caf\xc3\xa9\"",
      "{\"a\":1,\"a\":2}",
  };
  for (const char* text : valid) {
    CAPTURE(text);
    std::string minified;
    CHECK(ReadsWhole(text, &minified));
    CHECK(weft::ParseJson(text, "t").ok());
    CHECK(*weft::ParseJson(minified, "t") == *weft::ParseJson(text, "t"));
  }
}

TEST_CASE("the cursor declines invalid JSON and what it leaves to ParseJson") {
  const char* declined[] = {
      "",
      "{",
      "[1,]",
      "{\"a\":1,}",
      "{\"a\" 1}",
      "01",
      "1.",
      "-",
      "+1",
      ".5",
      "1e",
      "tru",
      "nul",
      "[1 2]",
      "\"\\x\"",
      "\"\\ud800\"",
      "\"\\udc00\"",
      "\"\\ud800\\u0041\"",
      "\"a\x01\"",
      "\"\xc3\"",
      "\"\xed\xa0\x80\"",
      "\"\xc0\xaf\"",
      "{\"a\":1}}",
      "[1]x",
      "'a'",
      "NaN",
      "1234567890123456789",  // more than 18 digits: ParseJson knows whether it fits
      "1e100",                // a three-digit exponent: ParseJson knows whether it is in range
  };
  for (const char* text : declined) {
    CAPTURE(text);
    CHECK_FALSE(ReadsWhole(text));
  }
  std::string deep(weft::kMaxCursorDepth + 1, '[');
  deep += std::string(weft::kMaxCursorDepth + 1, ']');
  CHECK_FALSE(ReadsWhole(deep));
  CHECK(ReadsWhole(deep.substr(1, deep.size() - 2)));
}

TEST_CASE("members, strings and nulls are read in order") {
  JsonCursor in(R"({"mode": "st\u0061rt", "n": null, "v": {"x": [1, 2]} , "s": "plain"})");
  std::string_view key, s, raw;
  std::string scratch;
  REQUIRE(in.Object());
  REQUIRE(in.Member(key));
  CHECK(key == "mode");
  REQUIRE(in.String(s, scratch));
  CHECK(s == "start");
  REQUIRE(in.Member(key));
  CHECK(in.Null());
  REQUIRE(in.Member(key));
  CHECK(in.Peek() == '{');
  REQUIRE(in.Raw(raw));
  CHECK(raw == R"({"x": [1, 2]})");
  REQUIRE(in.Member(key));
  REQUIRE(in.String(s, scratch));
  CHECK(s == "plain");
  CHECK_FALSE(in.Member(key));
  CHECK(in.ok());
  CHECK(in.AtEnd());
}

TEST_CASE("a key with an escape, or a string where an object ends, is declined") {
  JsonCursor escaped(R"({"\u0069d": 1})");
  std::string_view key;
  REQUIRE(escaped.Object());
  CHECK_FALSE(escaped.Member(key));
  CHECK_FALSE(escaped.ok());
  JsonCursor missing_comma(R"({"a": 1 "b": 2})");
  std::string_view raw;
  REQUIRE(missing_comma.Object());
  REQUIRE(missing_comma.Member(key));
  REQUIRE(missing_comma.Raw(raw));
  CHECK_FALSE(missing_comma.Member(key));
  CHECK_FALSE(missing_comma.ok());
}

TEST_CASE("minifying drops white space between tokens only") {
  std::string out;
  CHECK(ReadsWhole("{ \"a b\" : [ 1 ,\n\t\"c \\\" d\" ] } ", &out));
  CHECK(out == "{\"a b\":[1,\"c \\\" d\"]}");
}

TEST_CASE("long strings are checked eight bytes at a time, to the byte") {
  for (size_t at = 0; at < 20; ++at) {
    std::string plain(20, 'a');
    CHECK(ReadsWhole("\"" + plain + "\""));
    for (const char* bad : {"\x01", "\xff", "\""}) {
      std::string s = plain;
      s[at] = bad[0];
      CAPTURE(at);
      CHECK_FALSE(ReadsWhole("\"" + s + "\""));
    }
    std::string accented = plain;
    accented.replace(at, 1, "\xc3\xa9");
    CHECK(ReadsWhole("\"" + accented + "\""));
  }
}

TEST_CASE("WriteCanonical writes what CompactDumps writes of the value, or declines") {
  for (const char* text :
       {R"({"b": 1, "a": {"d": [1, "x", {"z": null, "y": true}], "c": -2.5}})", R"("\u00e9\/\n")",
        R"([ ])", R"({ })", R"({"é": 1, "e": 2, "": [false]})", "0.0001", R"("tab	")"}) {
    JsonCursor in(text);
    std::string out;
    bool written = WriteCanonical(in, out) && in.AtEnd();
    auto parsed = ParseJson(text, "t");
    if (!parsed.ok()) {
      CHECK_FALSE_MESSAGE(written, text);
      continue;
    }
    CHECK_MESSAGE(written, text);
    CHECK(out == CompactDumps(*parsed));
  }
  for (const char* text : {"1e2", "1.50", R"({"a": 1, "a": 2})", "[01]", R"({"a\"": 1})"}) {
    JsonCursor in(text);
    std::string out;
    CHECK_FALSE_MESSAGE(WriteCanonical(in, out), text);
  }
}

TEST_CASE("strings are escaped as CompactDumps escapes them, eight bytes at a time") {
  for (size_t at = 0; at < 20; ++at) {
    for (char c : {'\x01', '\x1f', '"', '\\', '\n', '\x7f', ' '}) {
      std::string s(20, 'a');
      s[at] = c;
      std::string out;
      AppendJsonString(out, s);
      CAPTURE(at);
      CHECK(out == CompactDumps(Json(s)));
    }
  }
}

TEST_CASE("WriteCanonical declines nesting past the cursor's depth, without recursing deeper") {
  for (size_t depth : {kMaxCursorDepth, kMaxCursorDepth + 1, size_t{100000}}) {
    std::string text = std::string(depth, '[') + std::string(depth, ']');
    JsonCursor in(text);
    std::string out;
    CHECK(WriteCanonical(in, out) == (depth <= kMaxCursorDepth));
  }
}
