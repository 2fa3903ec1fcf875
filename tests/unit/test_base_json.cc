// Python json.dumps(sort_keys=True) compatibility and strict parsing.
#include <doctest/doctest.h>

#include "base/json.h"

using weft::Json;
using weft::ParseJson;
using weft::PythonDumps;
using weft::PythonFloatRepr;

namespace {
std::string Dumps(const char* text) {
  auto v = ParseJson(text, "test");
  REQUIRE(v.ok());
  return PythonDumps(*v);
}
}  // namespace

TEST_CASE("floats print as Python repr") {
  struct {
    double in;
    const char* out;
  } cases[] = {
      {0.1, "0.1"},
      {1.0, "1.0"},
      {100.0, "100.0"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {1e-05, "1e-05"},
      {0.0001, "0.0001"},
      {-0.0, "-0.0"},
      {1.5e300, "1.5e+300"},
      {1.0 / 3, "0.3333333333333333"},
      {1.5e-07, "1.5e-07"},
      {1.2345678901234568e+17, "1.2345678901234568e+17"},
      {123.456, "123.456"},
      {-2.5, "-2.5"},
      {5e-324, "5e-324"},
  };
  for (const auto& c : cases) CHECK(PythonFloatRepr(c.in) == c.out);
}

TEST_CASE("separators, sorted keys, int vs float") {
  CHECK(Dumps(R"({"b": "x", "a": 1})") == R"({"a": 1, "b": "x"})");
  CHECK(Dumps(R"([1, [2, {"b": null}]])") == R"([1, [2, {"b": null}]])");
  CHECK(Dumps(R"({"a": [], "b": {}})") == R"({"a": [], "b": {}})");
  CHECK(Dumps("1") == "1");
  CHECK(Dumps("1.0") == "1.0");
  CHECK(Dumps("1E2") == "100.0");
  CHECK(Dumps("1.50") == "1.5");
  CHECK(Dumps("-0") == "0");
  CHECK(Dumps("true") == "true");
  CHECK(Dumps("18446744073709551615") == "18446744073709551615");
  CHECK(Dumps("-9223372036854775808") == "-9223372036854775808");
  CHECK(Dumps(R"({"z": {"y": 1, "x": [{"b": 2, "a": 1}]}})") ==
        R"({"z": {"x": [{"a": 1, "b": 2}], "y": 1}})");
}

TEST_CASE("strings escape like ensure_ascii") {
  CHECK(Dumps(R"("café 😀")") == R"("caf\u00e9 \ud83d\ude00")");
  CHECK(Dumps(R"("a\"b\\c\n/")") == R"("a\"b\\c\n/")");
  CHECK(Dumps(R"("\u0001\u001f\u007f\t\r\b\f")") == R"("\u0001\u001f\u007f\t\r\b\f")");
  CHECK(Dumps(R"("\u2028 中")") == R"("\u2028 \u4e2d")");
  CHECK(Dumps(R"({"é": 1, "e": 2})") == R"({"e": 2, "\u00e9": 1})");
}

TEST_CASE("strict parsing") {
  CHECK_FALSE(ParseJson("123456789012345678901234", "x").ok());
  CHECK_FALSE(ParseJson("1e400", "x").ok());
  CHECK_FALSE(ParseJson("{", "x").ok());
  CHECK_FALSE(ParseJson("NaN", "x").ok());
  auto bad = ParseJson("{\"a\": }", "--json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("--json") == 0);
  CHECK(ParseJson(R"({"a":1,"a":2})", "x").ok());
  CHECK((*ParseJson(R"({"a":1,"a":2})", "x"))["a"] == 2);
}

TEST_CASE("AppendJsonString writes strings as CompactDumps does") {
  for (std::string s : std::vector<std::string>{"", "plain", "q\"uote\\back",
                                                std::string("nul\0x", 5), "\b\f\n\r\t\x01\x1f\x7f",
                                                "caf\xc3\xa9 \xf0\x9f\x98\x80", "</script>"}) {
    std::string out;
    weft::AppendJsonString(out, s);
    CHECK(out == weft::CompactDumps(weft::Json(s)));
  }
}

TEST_CASE("big strings land where they belong, moved rather than copied") {
  std::string big(100000, 'b');
  std::string text = R"({"a":")" + big + R"(","n":{"k":[1,")" + big + R"(",{"x":")" + big +
                     R"("}],"after":2},"z":")" + big + R"("})";
  auto parsed = weft::ParseJson(text, "t");
  REQUIRE(parsed.ok());
  const weft::Json& j = *parsed;
  CHECK(j["a"] == big);
  CHECK(j["n"]["k"][0] == 1);
  CHECK(j["n"]["k"][1] == big);
  CHECK(j["n"]["k"][2]["x"] == big);
  CHECK(j["n"]["after"] == 2);
  CHECK(j["z"] == big);
  CHECK(*weft::ParseJson("\"" + big + "\"", "t") == big);
  CHECK(*weft::ParseJson("[\"" + big + "\",[\"" + big + "\"]]", "t") ==
        weft::Json::array({big, weft::Json::array({big})}));
}

TEST_CASE("IsCompactDumps accepts what CompactDumps writes and nothing it would write otherwise") {
  for (const char* text :
       {R"({"a":1,"b":[true,false,null],"c":{"d":"x\ny\"z\\"}})", "[]", "{}", "0", "-7", "1.5",
        "0.0001", "-0.0", "123456789012345.0", "\"é\"", R"({"":1,"a":2})"}) {
    CHECK_MESSAGE(weft::IsCompactDumps(text), text);
    CHECK(weft::CompactDumps(*weft::ParseJson(text, "t")) == text);
  }
  for (const char* text : {R"({"b":1,"a":2})", R"({"a":1,"a":2})", R"({"a": 1})", "[1, 2]", "1e5",
                           "1.50", "0.00001", "1234567890123456.0", "0.1234567890123456", "01",
                           "-0", R"("\u00e9")", R"("\/")", " 1", R"({"a\"":1})", "tru"}) {
    CHECK_MESSAGE(!weft::IsCompactDumps(text), text);
  }
  CHECK(weft::CanonicalText(R"({"b": 1, "a": "\u00e9", "c": 1.50})") ==
        R"({"a":"é","b":1,"c":1.5})");
  CHECK(weft::CanonicalText("not json") == "not json");
}
