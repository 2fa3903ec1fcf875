// A stored call as the query language sees it: the fields $getField and
// sort_by may name, and their values (JSON columns parsed on first use;
// output and summary are null until the call ends, except the derived
// summary.weave).
#pragma once

#include <string>
#include <vector>

#include "core/calls/call_record.h"
#include "core/query.h"
#include "core/refs_read.h"

namespace weft {

// The columns of a call, as FieldRef::column numbers: the CallField
// numbers of the fields CallSchema shows, and project_id.
constexpr int kProjectColumn = CallField::kCount;

// Resolves call field names: the columns of CallSchema, and dotted paths
// into inputs, output, attributes and summary.
const Schema& CallFields();

// One call read through CallFields().
class CallRow : public Row {
 public:
  CallRow(CallRecord c, const std::string& project) : c_(std::move(c)), project_(&project) {}
  const CallRecord& call() const { return c_; }
  Value Get(const FieldRef& f) const override;
  // Replaces the refs at these dotted paths (shallowest first) in the JSON
  // columns by their values, so Get reads through them (expand_columns).
  Status ExpandRefs(const std::vector<std::string>& paths, RefExpander& expander);

 private:
  const Json& Column(int column) const;
  // summary.weave.status, latency_ms or trace_name, computed from the record.
  Value Derived(const std::string& name) const;

  CallRecord c_;
  const std::string* project_;
  mutable Json json_[CallField::kCount];
  mutable bool parsed_[CallField::kCount] = {};
};

}  // namespace weft
