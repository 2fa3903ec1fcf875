// Weave refs in their external form (weave:///entity/project/KIND/...):
// parsing with Weave's validation, and building.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace weft {

inline constexpr std::string_view kRefScheme = "weave:///";

struct Ref {
  std::string project_id;  // entity/project
  std::string kind;        // object, op, table, call
  std::string name;        // object/op name, table digest, call id
  std::string version;     // object/op digest (or latest, vN); empty otherwise
  // Extra path: (edge, value) pairs, edge one of key, attr, index, id.
  std::vector<std::pair<std::string, std::string>> extra;
};

// Whether a string is one Weave collects as a ref from call inputs and
// outputs (weave://, wandb-artifact://, weave-trace-internal://).
bool LooksLikeRef(std::string_view s);
// Whether JSON text may hold such a ref somewhere.
bool MayHoldRef(std::string_view json_text);

// Parses a ref; the error names the ref and what is wrong with it.
Result<Ref> ParseRef(std::string_view uri);

// Builds the URI, percent-encoding parts that need it.
std::string FormatRef(const Ref& ref);

// The name part of an op ref op_name (what a trace is called), or op_name itself.
std::string TraceName(const std::string& op_name);

}  // namespace weft
