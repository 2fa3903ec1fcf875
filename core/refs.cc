// Ref parsing (Weave's later validation) and building.
#include "core/api/refs.h"

#include "base/ids.h"
#include "base/percent.h"

namespace weft {

namespace {
constexpr std::string_view kRefSchemes[] = {"weave://", "wandb-artifact://",
                                            "weave-trace-internal://"};
}  // namespace

bool LooksLikeRef(std::string_view s) {
  for (auto scheme : kRefSchemes)
    if (s.starts_with(scheme)) return true;
  return false;
}

bool MayHoldRef(std::string_view json_text) {
  for (auto scheme : kRefSchemes)
    if (json_text.find(scheme) != std::string_view::npos) return true;
  return false;
}
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    parts.emplace_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool IsInteger(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

Result<Ref> ParseRef(std::string_view uri) {
  std::string u(uri);
  auto bad = [&](const std::string& why) { return Invalid("invalid ref '" + u + "': " + why); };
  if (!uri.starts_with(kRefScheme)) return bad("expected weave:///entity/project/...");
  std::vector<std::string> parts = Split(uri.substr(kRefScheme.size()), '/');
  if (parts.size() >= 2 && parts.back().empty()) parts.pop_back();  // a trailing '/'
  if (parts.size() < 4) return bad("too few parts");
  Ref ref;
  ref.project_id = PercentDecode(parts[0]) + "/" + PercentDecode(parts[1]);
  if (!CheckProjectId(ref.project_id, "ref").ok()) return bad("bad entity/project");
  ref.kind = parts[2];
  size_t extra_start = 4;
  if (ref.kind == "object" || ref.kind == "op") {
    std::vector<std::string> nv = Split(parts[3], ':');
    if (nv.size() != 2 || nv[0].empty() || nv[1].empty()) return bad("expected NAME:VERSION");
    ref.name = PercentDecode(nv[0]);
    ref.version = PercentDecode(nv[1]);
    if (ref.name.find_first_of("/:") != std::string::npos ||
        ref.version.find_first_of("/:") != std::string::npos)
      return bad("name or version contains '/' or ':'");
  } else if (ref.kind == "table" || ref.kind == "call") {
    ref.name = PercentDecode(parts[3]);
    if (ref.name.empty()) return bad("empty " + ref.kind + " id");
  } else {
    return bad("unknown kind '" + ref.kind + "'");
  }
  if ((parts.size() - extra_start) % 2 != 0) return bad("extra path must be EDGE/VALUE pairs");
  for (size_t i = extra_start; i < parts.size(); i += 2) {
    const std::string& edge = parts[i];
    std::string value = PercentDecode(parts[i + 1]);
    if (edge != "key" && edge != "attr" && edge != "index" && edge != "id")
      return bad("unknown path edge '" + edge + "'");
    if (edge == "index" && !IsInteger(value)) return bad("index '" + value + "' is not an integer");
    ref.extra.emplace_back(edge, std::move(value));
  }
  return ref;
}

std::string FormatRef(const Ref& ref) {
  auto slash = ref.project_id.find('/');
  std::string out = std::string(kRefScheme) + PercentEncode(ref.project_id.substr(0, slash)) + "/" +
                    PercentEncode(ref.project_id.substr(slash + 1)) + "/" + ref.kind + "/" +
                    PercentEncode(ref.name);
  if (!ref.version.empty()) out += ":" + PercentEncode(ref.version);
  for (const auto& [edge, value] : ref.extra) out += "/" + edge + "/" + PercentEncode(value);
  // ParseRef drops one trailing '/', so an empty last value needs a second.
  if (!ref.extra.empty() && ref.extra.back().second.empty()) out += "/";
  return out;
}

std::string TraceName(const std::string& op_name) {
  if (!op_name.starts_with(kRefScheme)) return op_name;
  auto ref = ParseRef(op_name);
  return ref.ok() && !ref->name.empty() ? ref->name : op_name;
}

}  // namespace weft
