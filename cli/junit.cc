// JUnit reports: a writer, and a small XML reader of weft's own that takes
// only what reports hold (elements, attributes, text, CDATA, the five
// entities and character references); a DOCTYPE is skipped, never
// expanded, so a report cannot reach files or blow up (docs/security.md).
#include "cli/junit.h"

#include <cstdio>
#include <map>
#include <memory>

#include "base/utf8.h"
#include "core/api/refs.h"

namespace weft::cli {
namespace {

constexpr int kMaxDepth = 64;
constexpr size_t kMaxTail = 4096;

// ---- writing

std::string Escape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = Utf8SequenceAt(s, i);
    if (n == 0) {  // not UTF-8: U+FFFD
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      out += "\xEF\xBF\xBD";  // not allowed in XML 1.0
    else
      out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string Seconds(const Json& ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms.is_number() ? ms.get<double>() / 1000 : 0.0);
  return buf;
}

std::string Tail(const Json& v) {
  std::string text = v.is_string() ? v.get<std::string>() : CompactDumps(v);
  if (text.size() <= kMaxTail) return text;
  size_t cut = text.size() - kMaxTail;
  while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
  return text.substr(cut);
}

struct Suite {
  std::string cases;
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  double seconds = 0;
  std::string timestamp;
};

// ---- reading

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  std::vector<std::unique_ptr<Element>> children;

  std::string Attr(const char* key) const {
    auto it = attributes.find(key);
    return it == attributes.end() ? "" : it->second;
  }
  const Element* Child(const char* child) const {
    for (const auto& c : children)
      if (c->name == child) return c.get();
    return nullptr;
  }
};

class XmlReader {
 public:
  explicit XmlReader(std::string_view in) : in_(in) {}

  Result<std::unique_ptr<Element>> Document() {
    SkipProlog();
    auto root = ReadElement(0);
    if (!root.ok()) return root;
    SkipMisc();
    if (pos_ < in_.size()) return Bad("text after the root element");
    return root;
  }

 private:
  Error Bad(const std::string& what) const {
    size_t line = 1;
    for (size_t i = 0; i < pos_ && i < in_.size(); ++i) line += in_[i] == '\n';
    return Invalid("report: line " + std::to_string(line) + ": " + what);
  }
  bool At(std::string_view s) const {
    return pos_ <= in_.size() && in_.substr(pos_, s.size()) == s;
  }
  void SkipSpace() {
    while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
  }
  bool SkipPast(std::string_view end) {
    size_t at = in_.find(end, pos_);
    pos_ = at == std::string_view::npos ? in_.size() : at + end.size();
    return at != std::string_view::npos;
  }
  // Comments, processing instructions and space between elements.
  void SkipMisc() {
    for (;;) {
      SkipSpace();
      if (At("<!--"))
        SkipPast("-->");
      else if (At("<?"))
        SkipPast("?>");
      else
        return;
    }
  }
  void SkipProlog() {
    if (At("\xEF\xBB\xBF")) pos_ += 3;  // a byte-order mark
    for (;;) {
      SkipMisc();
      if (!At("<!DOCTYPE")) return;
      int depth = 0;  // skipped whole, internal subset and all: entities are never defined
      for (; pos_ < in_.size(); ++pos_) {
        if (in_[pos_] == '[')
          ++depth;
        else if (in_[pos_] == ']')
          --depth;
        else if (in_[pos_] == '>' && depth <= 0)
          break;
      }
      if (pos_ < in_.size()) ++pos_;  // past the DOCTYPE's closing bracket
    }
  }
  std::string Name() {
    size_t start = pos_;
    while (pos_ < in_.size() && (std::isalnum(static_cast<unsigned char>(in_[pos_])) ||
                                 in_[pos_] == '_' || in_[pos_] == '-' || in_[pos_] == '.' ||
                                 in_[pos_] == ':' || static_cast<unsigned char>(in_[pos_]) >= 0x80))
      ++pos_;
    return std::string(in_.substr(start, pos_ - start));
  }
  // Text with its entities replaced, up to `end` (not consumed).
  Result<std::string> Text(char end) {
    std::string out;
    while (pos_ < in_.size() && in_[pos_] != end) {
      if (in_[pos_] != '&') {
        out += in_[pos_++];
        continue;
      }
      size_t semi = in_.find(';', pos_);
      if (semi == std::string_view::npos || semi - pos_ > 12) return Bad("an unfinished entity");
      std::string_view name = in_.substr(pos_ + 1, semi - pos_ - 1);
      pos_ = semi + 1;
      static const std::map<std::string_view, const char*> kEntities = {
          {"lt", "<"}, {"gt", ">"}, {"amp", "&"}, {"quot", "\""}, {"apos", "'"}};
      if (auto it = kEntities.find(name); it != kEntities.end()) {
        out += it->second;
        continue;
      }
      if (name.size() < 2 || name[0] != '#')
        return Bad("an unknown entity &" + std::string(name) + ";");
      bool hex = name[1] == 'x';
      unsigned long cp = 0;
      for (char c : name.substr(hex ? 2 : 1)) {
        int d = std::isdigit(static_cast<unsigned char>(c))           ? c - '0'
                : hex && std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(c) - 'a' + 10
                                                                      : -1;
        if (d < 0 || cp > 0x10FFFF) return Bad("a bad character reference");
        cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(d);
      }
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
        return Bad("a bad character reference");
      AppendUtf8(out, cp);
    }
    return out;
  }
  static void AppendUtf8(std::string& out, unsigned long cp) {
    if (cp < 0x80)
      out += static_cast<char>(cp);
    else if (cp < 0x800)
      out += static_cast<char>(0xC0 | cp >> 6), out += static_cast<char>(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
      out += static_cast<char>(0xE0 | cp >> 12), out += static_cast<char>(0x80 | (cp >> 6 & 0x3F)),
          out += static_cast<char>(0x80 | (cp & 0x3F));
    else
      out += static_cast<char>(0xF0 | cp >> 18), out += static_cast<char>(0x80 | (cp >> 12 & 0x3F)),
          out += static_cast<char>(0x80 | (cp >> 6 & 0x3F)),
          out += static_cast<char>(0x80 | (cp & 0x3F));
  }

  Result<std::unique_ptr<Element>> ReadElement(int depth) {
    if (depth > kMaxDepth) return Bad("elements nest deeper than " + std::to_string(kMaxDepth));
    if (!At("<")) return Bad("expected an element");
    ++pos_;
    auto e = std::make_unique<Element>();
    e->name = Name();
    if (e->name.empty()) return Bad("an element without a name");
    for (;;) {
      SkipSpace();
      if (At("/>")) {
        pos_ += 2;
        return e;
      }
      if (At(">")) {
        ++pos_;
        break;
      }
      std::string key = Name();
      SkipSpace();
      if (key.empty() || !At("=")) return Bad("a malformed attribute in <" + e->name + ">");
      ++pos_;
      SkipSpace();
      if (!At("\"") && !At("'"))
        return Bad("an attribute value without quotes in <" + e->name + ">");
      char quote = in_[pos_++];
      WEFT_ASSIGN(std::string value, Text(quote));
      if (pos_ >= in_.size()) return Bad("an unfinished attribute value");
      ++pos_;
      e->attributes[key] = std::move(value);
    }
    for (;;) {
      if (pos_ >= in_.size()) return Bad("<" + e->name + "> is not closed");
      if (At("</")) {
        pos_ += 2;
        if (Name() != e->name) return Bad("</...> does not close <" + e->name + ">");
        SkipSpace();
        if (!At(">")) return Bad("a malformed end tag");
        ++pos_;
        return e;
      }
      if (At("<!--")) {
        SkipPast("-->");
      } else if (At("<![CDATA[")) {
        pos_ += 9;
        size_t end = in_.find("]]>", pos_);
        if (end == std::string_view::npos) return Bad("an unfinished CDATA section");
        e->text.append(in_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (At("<?")) {
        SkipPast("?>");
      } else if (At("<")) {
        WEFT_ASSIGN(auto child, ReadElement(depth + 1));
        e->children.push_back(std::move(child));
      } else {
        WEFT_ASSIGN(std::string text, Text('<'));
        e->text += text;
      }
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
};

double ParseSeconds(const std::string& s) {
  try {
    size_t used = 0;
    std::string plain;
    for (char c : s)
      if (c != ',') plain += c;  // surefire writes 1,234.5
    double v = std::stod(plain, &used);
    return used && std::isfinite(v) && v >= 0 ? v : 0;
  } catch (...) {
    return 0;
  }
}

void ReadSuite(const Element& suite, std::vector<TestCase>& out) {
  std::optional<Micros> start = ParseTime(suite.Attr("timestamp"));
  for (const auto& child : suite.children) {
    if (child->name == "testsuite") {
      ReadSuite(*child, out);
      continue;
    }
    if (child->name != "testcase") continue;
    TestCase t;
    t.suite = suite.Attr("name");
    t.classname = child->Attr("classname");
    t.name = child->Attr("name");
    t.seconds = ParseSeconds(child->Attr("time"));
    t.suite_start = start;
    for (const char* outcome : {"failure", "error", "skipped"})
      if (const Element* e = child->Child(outcome)) {
        t.outcome = outcome;
        t.message = e->Attr("message");
        t.detail = e->text;
        std::string type = t.outcome == "skipped" ? "" : e->Attr("type");
        if (!type.empty() && t.message.find(type) == std::string::npos)
          t.message = type + (t.message.empty() ? "" : ": " + t.message);
        break;
      }
    if (const Element* o = child->Child("system-out")) t.stdout_tail = Tail(Json(o->text));
    if (const Element* e = child->Child("system-err")) t.stderr_tail = Tail(Json(e->text));
    out.push_back(std::move(t));
  }
}

}  // namespace

namespace {

// The body of a call's <testcase>: its failure or error, skip, and output;
// counted into the suite.
std::string CaseBody(const Json& c, bool test_case, Suite& s) {
  std::string status = c["summary"]["weave"].value("status", "");
  const Json& output = c["output"];
  std::string body;
  if (status == "error") {
    // A test case's own error stays an error; any other failed call is a failure.
    bool error = output.is_object() && output.value("outcome", "") == "error";
    ++(error ? s.errors : s.failures);
    const char* element = error ? "error" : "failure";
    std::string exception =
        c["exception"].is_string() ? c["exception"].get<std::string>() : "failed";
    body += std::string("      <") + element + " message=\"" +
            Escape(exception.substr(0, exception.find('\n'))) + "\" type=\"error\">" +
            Escape(exception) + "</" + element + ">\n";
  }
  bool skipped = output.is_object() && output.value("outcome", "") == "skipped";
  if (status == "running" || skipped) {
    ++s.skipped;
    std::string reason =
        skipped ? output.value("reason", Json("")).get<std::string>() : "still running";
    body += "      <skipped message=\"" + Escape(reason) + "\"/>\n";
  }
  bool tails =
      output.is_object() && (output.contains("stdout_tail") || output.contains("stderr_tail"));
  if (tails) {  // weft exec --capture, or a test case's captured output
    for (auto [key, element] :
         {std::pair{"stdout_tail", "system-out"}, std::pair{"stderr_tail", "system-err"}})
      if (output.contains(key))
        body += std::string("      <") + element + ">" + Escape(Tail(output[key])) + "</" +
                element + ">\n";
  } else if (!output.is_null() && !test_case) {
    body += "      <system-out>" + Escape(Tail(output)) + "</system-out>\n";
  }
  return body;
}

// One call as a <testcase> of its project's suite.
void AddCase(const Json& c, Suite& s) {
  // A test case weft junit import recorded keeps its own names.
  const Json& inputs = c["inputs"];
  bool test_case = inputs.is_object() && inputs.value("classname", Json()).is_string() &&
                   inputs.value("name", Json()).is_string();
  std::string op =
      test_case ? inputs["classname"].get<std::string>() : TraceName(c.value("op_name", ""));
  std::string name =
      test_case ? inputs["name"].get<std::string>()
                : (c["display_name"].is_string() ? c["display_name"].get<std::string>() : op) +
                      " (" + c.value("id", "") + ")";
  Json latency = c["summary"]["weave"].value("latency_ms", Json());
  s.cases += "    <testcase classname=\"" + Escape(op) + "\" name=\"" + Escape(name) +
             "\" time=\"" + Seconds(latency) + "\"";
  ++s.tests;
  s.seconds += latency.is_number() ? latency.get<double>() / 1000 : 0;
  if (s.timestamp.empty() && c["started_at"].is_string()) s.timestamp = c["started_at"];
  std::string body = CaseBody(c, test_case, s);
  s.cases += body.empty() ? "/>\n" : ">\n" + body + "    </testcase>\n";
}

}  // namespace

std::string JunitReport(const std::vector<Json>& calls) {
  std::map<std::string, Suite> suites;
  for (const Json& c : calls) AddCase(c, suites[c.value("project_id", "")]);
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  double seconds = 0;
  std::string out;
  for (const auto& [project, s] : suites) {
    tests += s.tests, failures += s.failures, errors += s.errors, skipped += s.skipped,
        seconds += s.seconds;
    out += "  <testsuite name=\"" + Escape(project) + "\" tests=\"" + std::to_string(s.tests) +
           "\" failures=\"" + std::to_string(s.failures) + "\" errors=\"" +
           std::to_string(s.errors) + "\" skipped=\"" + std::to_string(s.skipped) + "\" time=\"" +
           Seconds(Json(s.seconds * 1000)) + "\"" +
           (s.timestamp.empty() ? "" : " timestamp=\"" + Escape(s.timestamp.substr(0, 19)) + "\"") +
           ">\n" + s.cases + "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"weft\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
         std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
         Seconds(Json(seconds * 1000)) + "\">\n" + out + "</testsuites>\n";
}

Result<std::vector<TestCase>> ReadJunit(std::string_view xml) {
  XmlReader reader(xml);
  WEFT_ASSIGN(auto root, reader.Document());
  if (root->name != "testsuites" && root->name != "testsuite")
    return Invalid("report: the root element is <" + root->name +
                   ">, not <testsuites> or <testsuite>");
  std::vector<TestCase> cases;
  if (root->name == "testsuite")
    ReadSuite(*root, cases);
  else
    for (const auto& suite : root->children)
      if (suite->name == "testsuite") ReadSuite(*suite, cases);
  return cases;
}

}  // namespace weft::cli
