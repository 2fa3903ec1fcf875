// The fields of a call, in one table: how the record holds each one, which
// request part carries it and how CallSchema shows it. The record codec,
// both JSON writers, the query columns, merging and the request readers
// all walk this table, so a new call field is one row here
// (docs/semantics.md#call-fields; the record layout: core/records/FORMAT.md#calls).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace weft {

enum class FieldKind {
  kName,     // required text
  kText,     // optional text
  kTime,     // optional time
  kInt,      // optional integer
  kDict,     // JSON object text, "{}" until given
  kValue,    // JSON text of any value; null until the call ends
  kSummary,  // JSON object text, shown with the derived summary.weave
  kDump,     // JSON object text, "" when not given; kept and exported, not in CallSchema
  kRefs,     // the refs found in a JSON column; not in CallSchema
};

// Which request gives a field: the start, the end, either one (merged when
// given), both (the call's id), or only the store itself.
enum class FieldPart { kStart, kEnd, kEither, kKey, kStore };

// Flags of a field.
constexpr unsigned kAlwaysShown = 1;  // kept by a `columns` projection
constexpr unsigned kIdentity = 2;     // a start sent again must match it (SameStart)
constexpr unsigned kRefName = 4;      // the text may be a ref (rewritten when pushed)

// X(name, kind, part, bit, flags), in the order the record holds them. bit
// is the field's presence bit in the record, -1 for fields always there.
// Rows are only ever added at the end, with the next bit (FORMAT.md#calls).
#define WEFT_CALL_FIELDS(X)                                          \
  X(started_at, kTime, kStart, 5, kAlwaysShown | kIdentity)          \
  X(ended_at, kTime, kEnd, 6, 0)                                     \
  X(deleted_at, kTime, kStore, 7, 0)                                 \
  X(id, kName, kKey, -1, kAlwaysShown)                               \
  X(op_name, kName, kStart, -1, kAlwaysShown | kIdentity | kRefName) \
  X(trace_id, kName, kStart, -1, kAlwaysShown | kIdentity)           \
  X(display_name, kText, kEither, 0, 0)                              \
  X(parent_id, kText, kStart, 1, kIdentity)                          \
  X(exception, kText, kEnd, 2, 0)                                    \
  X(wb_user_id, kText, kStart, 3, 0)                                 \
  X(wb_run_id, kText, kStart, 4, 0)                                  \
  X(attributes, kDict, kStart, -1, kIdentity)                        \
  X(inputs, kDict, kStart, -1, kIdentity)                            \
  X(output, kValue, kEnd, -1, 0)                                     \
  X(summary, kSummary, kEnd, -1, 0)                                  \
  X(input_refs, kRefs, kStart, -1, 0)                                \
  X(output_refs, kRefs, kEnd, -1, 0)                                 \
  X(thread_id, kText, kStart, 8, 0)                                  \
  X(turn_id, kText, kStart, 9, 0)                                    \
  X(wb_run_step, kInt, kStart, 10, 0)                                \
  X(wb_run_step_end, kInt, kEnd, 11, 0)                              \
  X(otel_dump, kDump, kStart, 12, 0)

// The fields by number: CallField::thread_id, ...
struct CallField {
#define WEFT_FIELD_NUMBER(name, kind, part, bit, flags) name,
  enum : int { WEFT_CALL_FIELDS(WEFT_FIELD_NUMBER) kCount };
#undef WEFT_FIELD_NUMBER
};

struct CallFieldInfo {
  const char* name;
  FieldKind kind;
  FieldPart part;
  int bit;
  unsigned flags;

  // Whether CallSchema has it (a column calls_query can select and sort by).
  bool shown() const { return kind != FieldKind::kDump && kind != FieldKind::kRefs; }
  // Whether a JSON value is stored (a dotted path may reach into it).
  bool json() const {
    return kind == FieldKind::kDict || kind == FieldKind::kValue || kind == FieldKind::kSummary;
  }
  bool optional() const {
    return kind == FieldKind::kText || kind == FieldKind::kInt || kind == FieldKind::kDump;
  }
  // Whether the start (start = true) or end request model carries it.
  bool in(bool start) const {
    return part == FieldPart::kKey ||
           (start ? part == FieldPart::kStart || part == FieldPart::kEither
                  : part == FieldPart::kEnd);
  }
};

inline constexpr CallFieldInfo kCallFields[] = {
#define WEFT_FIELD_INFO(name, kind, part, bit, flags) \
  {#name, FieldKind::kind, FieldPart::part, bit, flags},
    WEFT_CALL_FIELDS(WEFT_FIELD_INFO)
#undef WEFT_FIELD_INFO
};

// The field named name, or -1.
int FindCallField(std::string_view name);

// The C++ type that holds a field of each kind, and its value in a new record.
template <FieldKind K>
struct FieldType {
  using type = std::string;
  static type Initial() { return K == FieldKind::kDict ? "{}" : ""; }
};
template <>
struct FieldType<FieldKind::kText> {
  using type = std::optional<std::string>;
  static type Initial() { return std::nullopt; }
};
template <>
struct FieldType<FieldKind::kTime> {
  using type = std::optional<Micros>;
  static type Initial() { return std::nullopt; }
};
template <>
struct FieldType<FieldKind::kInt> {
  using type = std::optional<int64_t>;
  static type Initial() { return std::nullopt; }
};
template <>
struct FieldType<FieldKind::kRefs> {
  using type = std::vector<std::string>;
  static type Initial() { return {}; }
};

// Calls f(info, member) for every field of a record, in table order.
template <class Record, class F>
void ForEachField(Record& c, F&& f) {
#define WEFT_FIELD_VISIT(name, kind, part, bit, flags) f(kCallFields[CallField::name], c.name);
  WEFT_CALL_FIELDS(WEFT_FIELD_VISIT)
#undef WEFT_FIELD_VISIT
}

// Calls f(info, member) for field number `field` of a record.
template <class Record, class F>
void VisitField(Record& c, int field, F&& f) {
  switch (field) {
#define WEFT_FIELD_CASE(name, kind, part, bit, flags) \
  case CallField::name: f(kCallFields[field], c.name); break;
    WEFT_CALL_FIELDS(WEFT_FIELD_CASE)
#undef WEFT_FIELD_CASE
  }
}

}  // namespace weft
