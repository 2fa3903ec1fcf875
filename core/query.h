// Weave's query language (`{"$expr": ...}`, docs/semantics.md#the-query-language): compiled once
// against a table's fields, then evaluated row by row with SQL's
// three-valued logic. Used for calls and for feedback.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/json_path.h"
#include "base/status.h"
#include "core/query_request.h"

namespace weft {

// A resolved $getField: a column, and a path inside it for JSON columns.
struct FieldRef {
  int column = 0;
  bool json = false;              // a JSON column (inputs, output, payload...)
  std::vector<std::string> path;  // keys, or list indexes when integer-like
  std::string name;               // as written, for messages
};

// A value read from a row or computed: null, text, a number, a boolean or
// a time. Numbers keep their JSON text for comparisons with text.
struct Value {
  enum Kind { kNull, kText, kNumber, kBool, kTime } kind = kNull;
  std::string text;
  double number = 0;
  bool boolean = false;
  Micros time = 0;
  // For JSON paths: the path exists and is not JSON null (sort order).
  bool present = false;

  static Value Null() { return {}; }
  static Value Text(std::string s);
  static Value Number(double d, std::string text);
  static Value Bool(bool b);
  static Value Time(Micros t);
  // Value of a JSON node reached by a path : scalars as text
  // (numbers in their JSON text, booleans "true"/"false"), objects, arrays
  // and JSON null as "" (CH's JSON_VALUE).
  static Value FromJsonPath(const Json* node);
  // A JSON scalar as a typed value (literals, sort keys).
  static Value FromJson(const Json& v);
  // Its text form ("" for null).
  std::string AsText() const;

 private:
  static Value Of(Kind kind, std::string text);
};

// The fields of one kind of row, and how to read them.
class Schema {
 public:
  virtual ~Schema() = default;
  // Resolves a dotted field name; false if the field does not exist.
  virtual bool Resolve(const std::string& name, FieldRef& out) const = 0;
};

class Row {
 public:
  virtual ~Row() = default;
  virtual Value Get(const FieldRef& field) const = 0;
};

class Expr;

// What `$eq` with a null literal on its right means: "is null" in call
// queries, an ordinary (unknown) comparison in feedback queries.
enum class NullEquality { kIsNull, kUnknown };

class Query {
 public:
  // Compiles `{"$expr": ...}`; `where` names the request field in errors.
  static Result<Query> Compile(const Json& query, const Schema& schema, const std::string& where,
                               NullEquality null_equality = NullEquality::kIsNull);
  // True only when the expression is true (unknown and false reject the row).
  bool Matches(const Row& row) const;
  // Substrings that a row's stored column texts must hold for the query to
  // match, so that a scan can skip rows without parsing them: groups that
  // every match passes (the query itself or its $and operands), each
  // passed when any one of its needles is found: one $contains of a field
  // with a printable-ASCII literal, or the $contains operands of an $or
  // that holds nothing else.
  struct Needle {
    int column;
    std::string text;  // lowercase when case_insensitive
    bool case_insensitive;
  };
  using NeedleGroup = std::vector<Needle>;
  std::vector<NeedleGroup> Needles() const;
  // The times every match of a time column lies within, [from, to) in
  // microseconds, from the query's comparisons of that column with a time
  // literal (the query itself or its $and operands, nested or not, $not of
  // one included);
  // `whole` when those comparisons are all the query is.
  struct Window {
    Micros from = INT64_MIN, to = INT64_MAX;
    bool whole = false;
  };
  Window TimeWindow(int column) const;
  // The text every match holds in a field (a column, or a path inside a
  // JSON column), from an $eq of that field with a text literal (the query
  // itself or one of its $and operands, nested or not); `whole` when that
  // $eq is all the query is.
  struct Equality {
    std::optional<std::string> text;
    bool whole = false;
  };
  Equality TextEquality(int column, const std::vector<std::string>& path = {}) const;
  // Whether the query is nothing but comparisons of time_column with times
  // and $eq's of the field with one text (the query itself or its $and
  // operands, nested), so that TimeWindow and TextEquality say all of it.
  bool OnlyTimesAndText(int time_column, int column, const std::vector<std::string>& path) const;

 private:
  std::shared_ptr<const Expr> root_;
};

// Whether text holds needle (ASCII case folded when asked).
bool HoldsNeedle(std::string_view text, const Query::Needle& needle);

// sort_by entries.
struct SortKey {
  FieldRef field;
  bool descending = false;
};

// Resolves sort_by items (core/query_request.h) against a row schema.
Result<std::vector<SortKey>> CompileSort(const std::vector<SortItem>& items, const Schema& schema);

// Orders two rows by the keys: JSON paths put present values first, then
// numbers, then text; columns compare by value with nulls last.
int CompareRows(const Row& a, const Row& b, const std::vector<SortKey>& keys);

}  // namespace weft
