// Strict JSON parsing and Python-compatible serialisation.
#include "base/json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "base/json_cursor.h"

namespace weft {
namespace {

// Builds the DOM like nlohmann's own parser, but refuses number tokens that
// do not fit: an integer token that overflowed into a float, or infinity.
class StrictSax : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  explicit StrictSax(Json& root) : json_sax_dom_parser(root, false), root_(root) {}

  bool number_float(double d, const std::string& token) {
    if (token.find_first_of(".eE") == std::string::npos) {
      error = "integer " + token + " does not fit in 64 bits";
      return false;
    }
    if (!std::isfinite(d)) {
      error = "number " + token + " is out of range";
      return false;
    }
    return json_sax_dom_parser::number_float(d, token);
  }

  // A big string is moved out of the lexer's buffer into its place instead
  // of copied, so that a 100 MB value is held twice while parsing, not
  // three times: an empty string goes in, is found where it went (the
  // containers are tracked alongside nlohmann's own), then takes the text.
  bool string(std::string& val) {
    if (val.size() < kMoveFrom) return json_sax_dom_parser::string(val);
    std::string empty;
    if (!json_sax_dom_parser::string(empty)) return false;
    *Last() = std::move(val);
    return true;
  }
  bool key(std::string& val) {
    key_ = val;
    return json_sax_dom_parser::key(val);
  }
  bool start_object(std::size_t n) {
    return Deeper() && json_sax_dom_parser::start_object(n) && Opened();
  }
  bool start_array(std::size_t n) {
    return Deeper() && json_sax_dom_parser::start_array(n) && Opened();
  }
  bool end_object() { return --depth_, open_.pop_back(), json_sax_dom_parser::end_object(); }
  bool end_array() { return --depth_, open_.pop_back(), json_sax_dom_parser::end_array(); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    auto pos = what.find("] ");
    error = pos == std::string::npos ? what : what.substr(pos + 2);
    return false;
  }

  std::string error;

 private:
  bool Deeper() {
    if (++depth_ <= kMaxJsonDepth) return true;
    error = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  // The value added last: the root, the last item of the open array, or
  // the member of the open object under the last key.
  Json* Last() {
    if (open_.empty()) return &root_;
    Json* in = open_.back();
    return in->is_array() ? &in->back() : &(*in)[key_];
  }
  bool Opened() {
    open_.push_back(Last());
    return true;
  }

  static constexpr size_t kMoveFrom = 1 << 16;
  Json& root_;
  std::vector<Json*> open_;  // the containers being filled, outermost first
  std::string key_;          // the last key read
  size_t depth_ = 0;
};

void AppendUnicodeEscape(std::string& out, unsigned cp) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", cp);
  out += buf;
}

// Decodes one UTF-8 sequence at s[i] (the input is valid UTF-8: nlohmann
// checked it on parse) and advances i.
unsigned NextCodePoint(const std::string& s, size_t& i) {
  unsigned char c = s[i];
  int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
  unsigned cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 0; k < extra && i + 1 < s.size(); ++k) cp = (cp << 6) | (s[++i] & 0x3F);
  ++i;
  return cp;
}

void AppendPythonString(std::string& out, const std::string& s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned cp = NextCodePoint(s, i);
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (cp >= 0x20 && cp < 0x7F) {
          out += static_cast<char>(cp);
        } else if (cp < 0x10000) {
          AppendUnicodeEscape(out, cp);
        } else {
          cp -= 0x10000;
          AppendUnicodeEscape(out, 0xD800 + (cp >> 10));
          AppendUnicodeEscape(out, 0xDC00 + (cp & 0x3FF));
        }
    }
  }
  out += '"';
}

void AppendPython(std::string& out, const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: out += "null"; break;
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case Json::value_t::number_integer: out += std::to_string(v.get<int64_t>()); break;
    case Json::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); break;
    case Json::value_t::number_float: out += PythonFloatRepr(v.get<double>()); break;
    case Json::value_t::string: AppendPythonString(out, v.get_ref<const std::string&>()); break;
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ", ";
        first = false;
        AppendPython(out, item);
      }
      out += ']';
      break;
    }
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.items()) {
        if (!first) out += ", ";
        first = false;
        AppendPythonString(out, key);
        out += ": ";
        AppendPython(out, item);
      }
      out += '}';
      break;
    }
    default: out += "null"; break;  // binary and discarded values never reach here
  }
}

}  // namespace

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  if (text.find('\0') != std::string_view::npos)
    return Invalid(std::string(what) + ": malformed JSON: a NUL byte in the text");
  Json root;
  StrictSax sax(root);
  bool ok = Json::sax_parse(text, &sax);
  if (!ok || sax.is_errored()) {
    return Invalid(std::string(what) +
                   ": malformed JSON: " + (sax.error.empty() ? "parse error" : sax.error));
  }
  return root;
}

std::string PythonFloatRepr(double d) {
  char buf[40];
  auto end = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific).ptr;
  std::string sci(buf, end);  // e.g. "-1.2345e+17", "1e-05", "-0e+00"
  std::string out;
  size_t i = 0;
  if (sci[0] == '-') {
    out += '-';
    i = 1;
  }
  size_t e = sci.find('e');
  std::string digits;
  for (size_t k = i; k < e; ++k)
    if (sci[k] != '.') digits += sci[k];
  int exp = std::stoi(sci.substr(e + 1));
  if (exp < -4 || exp >= 16) {
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[8];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return out + ebuf;
  }
  int point = exp + 1;  // digits before the decimal point
  int n = static_cast<int>(digits.size());
  if (point <= 0) return out + "0." + std::string(-point, '0') + digits;
  if (point >= n) return out + digits + std::string(point - n, '0') + ".0";
  return out + digits.substr(0, point) + "." + digits.substr(point);
}

std::string PythonDumps(const Json& v) {
  std::string out;
  AppendPython(out, v);
  return out;
}

int64_t PythonInt(const Json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_number_float()) {
    double d = v.get<double>();
    return std::isfinite(d) && std::fabs(d) < 9e18 ? static_cast<int64_t>(d) : 0;
  }
  if (!v.is_string()) return 0;
  const std::string& s = v.get_ref<const std::string&>();
  size_t b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
  if (b == std::string::npos) return 0;
  std::string digits = s.substr(b, e - b + 1);
  size_t sign = digits[0] == '-' || digits[0] == '+' ? 1 : 0;
  if (digits.size() <= sign || digits.size() >= 19 ||
      digits.find_first_not_of("0123456789", sign) != std::string::npos)
    return 0;
  return std::stoll(digits);
}

std::string CompactDumps(const Json& v) {
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

// Whether any of the 8 bytes at p is a control character, '"' or '\\'
// (bit tricks on a word: the test runs over most strings' every byte).
bool AnyToEscape(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  auto zero_byte = [&](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  uint64_t control = (w - kOnes * 0x20) & ~w & kHigh;  // a byte below 0x20
  return (control | zero_byte(w ^ (kOnes * '"')) | zero_byte(w ^ (kOnes * '\\'))) != 0;
}

// The check behind IsCompactDumps: a recursive descent over the text that
// accepts only the forms CompactDumps (nlohmann's dump) produces.
class CompactCheck {
 public:
  explicit CompactCheck(std::string_view t) : t_(t) {}
  bool Whole() { return Value(0) && i_ == t_.size(); }

 private:
  bool At(char c) const { return i_ < t_.size() && t_[i_] == c; }

  bool Value(int depth) {
    if (i_ >= t_.size() || depth > 64) return false;
    switch (t_[i_]) {
      case '{': return Object(depth + 1);
      case '[': return Array(depth + 1);
      case '"': {
        std::string_view s;
        return String(s);
      }
      case 't': return Word("true");
      case 'f': return Word("false");
      case 'n': return Word("null");
      default: return Number();
    }
  }

  bool Object(int depth) {
    ++i_;
    if (At('}')) return ++i_, true;
    std::string_view previous;
    for (bool first = true;; first = false) {
      std::string_view key;
      if (!At('"') || !String(key) || key.find('\\') != std::string_view::npos) return false;
      if (!first && !(previous < key))
        return false;  // sorted, no duplicates (UTF-8 bytes: code point order)
      previous = key;
      if (!At(':')) return false;
      ++i_;
      if (!Value(depth)) return false;
      if (At('}')) return ++i_, true;
      if (!At(',')) return false;
      ++i_;
    }
  }

  bool Array(int depth) {
    ++i_;
    if (At(']')) return ++i_, true;
    while (true) {
      if (!Value(depth)) return false;
      if (At(']')) return ++i_, true;
      if (!At(',')) return false;
      ++i_;
    }
  }

  // Raw UTF-8 and the escapes CompactDumps writes for '"', '\\' and the
  // named control characters; no \u escapes, no raw control characters.
  bool String(std::string_view& raw) {
    size_t start = ++i_;
    while (i_ < t_.size()) {
      while (i_ + 8 <= t_.size() && !AnyToEscape(t_.data() + i_)) i_ += 8;
      if (i_ == t_.size()) break;
      unsigned char c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        raw = t_.substr(start, i_ - start);
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (i_ + 1 >= t_.size() ||
            std::string_view("\"\\bfnrt").find(t_[i_ + 1]) == std::string_view::npos)
          return false;
        i_ += 2;
        continue;
      }
      ++i_;
    }
    return false;
  }

  bool Word(std::string_view w) {
    if (t_.compare(i_, w.size(), w) != 0) return false;
    i_ += w.size();
    return true;
  }

  // Integers as written; floats only in nlohmann's positional form: at most
  // 15 significant digits, an integer part of at most 15 digits, at most
  // three zeros after "0.", no trailing zero but in ".0", no exponent; and
  // as nlohmann prints the double they read as (its Grisu2 is not always
  // the shortest: 2.617778304 prints as 2.6177783039999998).
  bool Number() {
    size_t start = i_;
    if (!NumberForm()) return false;
    std::string_view token = t_.substr(start, i_ - start);
    if (token.find('.') == std::string_view::npos) return true;
    double d = 0;
    std::from_chars(token.data(), token.data() + token.size(), d);
    char buf[64];
    char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, d);
    return token == std::string_view(buf, static_cast<size_t>(end - buf));
  }

  bool NumberForm() {
    size_t start = i_;
    if (At('-')) ++i_;
    size_t int_start = i_;
    while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    std::string_view whole = t_.substr(int_start, i_ - int_start);
    if (whole.empty() || (whole.size() > 1 && whole[0] == '0')) return false;
    if (At('e') || At('E')) return false;
    if (!At('.')) return t_.substr(start, i_ - start) != "-0";
    ++i_;
    size_t frac_start = i_;
    while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    std::string_view frac = t_.substr(frac_start, i_ - frac_start);
    if (frac.empty() || At('e') || At('E') || whole.size() > 15) return false;
    if (frac.size() > 1 && frac.back() == '0') return false;
    if (whole == "0" && frac != "0" && frac.find_first_not_of('0') > 3) return false;
    size_t leading = whole == "0" ? std::min(frac.size(), frac.find_first_not_of('0')) : 0;
    size_t significant =
        (whole == "0" ? 0 : whole.size()) + (frac == "0" ? 0 : frac.size() - leading);
    return significant <= 15;
  }

  std::string_view t_;
  size_t i_ = 0;
};

// nlohmann's serializer writing straight to a FILE.
class FileOutput : public nlohmann::detail::output_adapter_protocol<char> {
 public:
  explicit FileOutput(std::FILE* out) : out_(out) {}
  void write_character(char c) override { std::fputc(c, out_); }
  void write_characters(const char* s, std::size_t n) override { std::fwrite(s, 1, n, out_); }

 private:
  std::FILE* out_;
};

}  // namespace

void DumpTo(std::FILE* out, const Json& v, int indent) {
  nlohmann::detail::serializer<Json> s(std::make_shared<FileOutput>(out), ' ',
                                       Json::error_handler_t::replace);
  s.dump(v, indent >= 0, false, static_cast<unsigned>(std::max(indent, 0)));
}

bool IsCompactDumps(std::string_view text) { return CompactCheck(text).Whole(); }

std::string CanonicalText(std::string_view text) {
  std::string out;
  AppendCanonical(out, text);
  return out;
}

void AppendCanonical(std::string& out, std::string_view text) {
  if (IsCompactDumps(text)) {
    out += text;
    return;
  }
  size_t was = out.size();
  JsonCursor in(text);
  if (WriteCanonical(in, out) && in.AtEnd()) return;
  out.resize(was);
  auto parsed = ParseJson(text, "stored JSON");
  out += parsed.ok() ? CompactDumps(*parsed) : std::string(text);
}

void AppendMember(std::string& object, std::string_view key, std::string_view json) {
  if (object.back() != '{') object += ',';
  AppendJsonString(object, key);
  (object += ':') += json;
}

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t plain = 0;  // start of the run not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    while (i + 8 <= s.size() && !AnyToEscape(s.data() + i)) i += 8;
    if (i == s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: (out += "\\u00") += kHex[c >> 4], out += kHex[c & 15];
    }
  }
  out.append(s, plain, s.size() - plain);
  out += '"';
}

}  // namespace weft
