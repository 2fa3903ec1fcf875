// Parameterised header values (docs/http-api.md#transport).
#include "http/wire/params.h"

#include <cstring>

namespace weft::http {
namespace {

void SkipSpace(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

// A token (or, for a value, a token with '/' in it) at s[i].
std::string_view Token(std::string_view s, size_t& i, bool slash) {
  size_t start = i;
  while (i < s.size() && (IsTokenChar(s[i]) || (slash && s[i] == '/'))) ++i;
  return s.substr(start, i - start);
}

}  // namespace

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::string* ParamHeader::Param(std::string_view name) const {
  for (const auto& [key, value] : params)
    if (key == name) return &value;
  return nullptr;
}

Result<ParamHeader> ParseParamHeader(std::string_view s, std::string_view what) {
  auto bad = [&](const char* why) {
    return Invalid(std::string(what) + ": " + why + " in '" + std::string(s) + "'");
  };
  ParamHeader out;
  size_t i = 0;
  SkipSpace(s, i);
  out.value = Lower(Token(s, i, true));
  if (out.value.empty()) return bad("no value");
  while (true) {
    SkipSpace(s, i);
    if (i == s.size()) return out;
    if (s[i] != ';') return bad("expected ';'");
    ++i;
    SkipSpace(s, i);
    if (i == s.size()) return out;  // a trailing ';' is harmless
    std::string name = Lower(Token(s, i, false));
    SkipSpace(s, i);
    if (name.empty() || i == s.size() || s[i] != '=') return bad("a parameter without '='");
    ++i;
    SkipSpace(s, i);
    std::string value;
    if (i < s.size() && s[i] == '"') {
      for (++i;; ++i) {
        if (i == s.size()) return bad("an unterminated quoted string");
        if (s[i] == '"') break;
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i];
      }
      ++i;
    } else {
      // Lenient: any visible character but ';' (boundaries hold '=', ':', '/').
      size_t start = i;
      while (i < s.size() && s[i] != ';' && s[i] != '"' && static_cast<unsigned char>(s[i]) > ' ')
        ++i;
      value = std::string(s.substr(start, i - start));
      if (value.empty()) return bad("an empty parameter value");
    }
    out.params.emplace_back(std::move(name), std::move(value));
  }
}

}  // namespace weft::http
