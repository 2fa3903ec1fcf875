// Every digest vector of docs/semantics.md#digests.
#include <doctest/doctest.h>

#include "core/digest.h"

using namespace weft;

namespace {
std::string Digest(const char* text) { return ValueDigest(*ParseJson(text, "test")); }
}  // namespace

TEST_CASE("object digests ") {
  CHECK(Digest(R"({"a": 1, "b": "x"})") == "zlxib7QDB0J88yO1wwej6iMIVvpLrWduqqJXe1qFeoU");
  CHECK(Digest(R"({"b": "x", "a": 1})") == "zlxib7QDB0J88yO1wwej6iMIVvpLrWduqqJXe1qFeoU");
  CHECK(Digest(R"("hello")") == "WqdirjgYu3J688ejbUlApbjECpiUUtIwT8lYYz81Tno");
  CHECK(Digest("42") == "c0dctApWjo2ooEXO0RATfhWfiQrE2og7axfcZRs6gEk");
  CHECK(Digest("{}") == "RBNvo1WzZ4oRRq0W9XhknpT7T8If536DEMBg9hyqY4o");
  CHECK(
      Digest(
          R"({"name": "café 😀", "score": 0.1, "big": 1e16, "small": 1e-05, "whole": 100.0, "neg0": -0.0, "flag": true, "nothing": null, "list": [1, 2.5, "a\"b\\c\n/"]})") ==
      "UEDYJPnyqOWISqpylOKSA3MckXdw9JdPjrlDw9niCik");
  CHECK(
      Digest(
          R"({"_type": "MyModel", "name": "m1", "temperature": 0.7, "_class_name": "MyModel", "_bases": ["Model", "Object", "BaseModel"]})") ==
      "3dP7VocbwrDlByv7I1Fdt3Os2rKsIsxBW3T28MFjIX4");
  CHECK(Digest(R"({"z": {"y": 1, "x": [{"b": 2, "a": 1}]}, "a": 1.5e300})") ==
        "Ex2NU5RgMzGDJ6PHm8b2mXduXyr8gXSsdke64HEVTpA");
}

TEST_CASE("row and table digests ") {
  std::string r1 = Digest(R"({"x": 1})"), r2 = Digest(R"({"x": 2})");
  CHECK(r1 == "YTYlqmU0Pbsbmr5qusZ3P1yRvWDT8vX34urmnh24sic");
  CHECK(r2 == "JPVyYA4VDTIwE4OFqgAGyhuZO0a7Qn90bMaQyY2TJBM");
  CHECK(HexDigest(r1 + r2) == "ed8bd1f8cb829eeb6b3fef95a7cd8401f7e5af825c4c9aa144a1ceb9f32c3654");
  CHECK(HexDigest(r1 + r1) == "b37db6c9704f1baa7184d4a52e67ff2d953e12bef14c4e1ba761581da26e388d");
  CHECK(HexDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("file digests  and the base64 substitution") {
  CHECK(BytesDigest("hello world") == "uU0nuZNNPgilLlLX2n2rXsSE7XN6U4DukIj3rOLvzek");
  CHECK(BytesDigest("") == "47DEQpj8HBSaXYTImWX5JCeuQeRkm5NMpJWZG3hSuFU");
  CHECK(BytesDigest("probe8") == "MdWGyKtls0JXECKkDsRuYdQGXpMrwHx0XtuZhq2b83k");
  CHECK(BytesDigest(
            "import weave\n\n@weave.op()\ndef add(a: int, b: int) -> int:\n    return a + b\n") ==
        "v1gbey6oxpqpMlA6MpUrxvUc1Lxbcbh4FP3UZrc0aYM");
}
