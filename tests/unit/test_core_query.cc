// The $expr language: operators, three-valued logic, CH value semantics,
// errors; and sort order of JSON paths.
#include <doctest/doctest.h>

#include <map>

#include "core/query.h"

using namespace weft;

namespace {

// A toy table: plain text column "name" (nullable) and JSON column "data".
class ToySchema : public Schema {
 public:
  bool Resolve(const std::string& name, FieldRef& out) const override {
    auto path = SplitPath(name);
    if (path[0] != "name" && path[0] != "data") return false;
    out.column = path[0] == "data";
    out.json = out.column == 1;
    out.path.assign(path.begin() + 1, path.end());
    return true;
  }
};

class ToyRow : public Row {
 public:
  ToyRow(Json name, Json data) : name_(std::move(name)), data_(std::move(data)) {}
  Value Get(const FieldRef& f) const override {
    if (!f.json) return Value::FromJson(name_);
    return Value::FromJsonPath(FollowPath(data_, f.path));
  }

 private:
  Json name_, data_;
};

bool Match(const char* expr, const ToyRow& row) {
  static const ToySchema schema;
  auto q = Query::Compile(Json::parse(std::string("{\"$expr\": ") + expr + "}"), schema, "query");
  REQUIRE_MESSAGE(q.ok(), q.error().message);
  return q->Matches(row);
}

std::string CompileError(const char* expr) {
  static const ToySchema schema;
  auto q = Query::Compile(Json::parse(std::string("{\"$expr\": ") + expr + "}"), schema, "query");
  REQUIRE_FALSE(q.ok());
  return q.error().message;
}

}  // namespace

TEST_CASE("JSON paths read as text, missing as empty (CH semantics)") {
  ToyRow row("a", Json::parse(
                      R"({"n": 10, "s": "hi", "b": true, "o": {"x": 1}, "l": [5, 6], "z": null})"));
  CHECK(Match(R"({"$eq": [{"$getField": "data.n"}, {"$literal": "10"}]})", row));
  CHECK(Match(R"({"$eq": [{"$getField": "data.n"}, {"$literal": 10}]})", row));
  CHECK(Match(R"({"$eq": [{"$getField": "data.b"}, {"$literal": "true"}]})", row));
  CHECK(Match(R"({"$eq": [{"$getField": "data.missing"}, {"$literal": ""}]})", row));
  CHECK(Match(R"({"$eq": [{"$getField": "data.o"}, {"$literal": ""}]})", row));
  CHECK(Match(R"({"$eq": [{"$getField": "data.l.1"}, {"$literal": "6"}]})", row));
  CHECK_FALSE(Match(R"({"$eq": [{"$getField": "data.missing"}, {"$literal": null}]})", row));
  // Compared with a number or boolean literal, a JSON field is converted to
  // its type first (Weave's infer_literal_filter_cast); with text, as text.
  CHECK(Match(R"({"$gt": [{"$getField": "data.n"}, {"$literal": 9}]})", row));
  CHECK_FALSE(
      Match(R"({"$gt": [{"$getField": "data.n"}, {"$literal": "9"}]})", row));  // "10" < "9"
  CHECK(Match(R"({"$lt": [{"$literal": 9.5}, {"$getField": "data.n"}]})", row));
  CHECK(Match(R"({"$lte": [{"$getField": "data.n"}, {"$literal": 10}]})", row));
  CHECK_FALSE(Match(R"({"$lt": [{"$getField": "data.n"}, {"$literal": 10}]})", row));
  CHECK(Match(R"({"$eq": [{"$getField": "data.b"}, {"$literal": true}]})", row));
  CHECK_FALSE(Match(R"({"$gt": [{"$getField": "data.s"}, {"$literal": 0}]})",
                    row));  // "hi" is no number: unknown
  CHECK(Match(R"({"$in": [{"$getField": "data.n"}, [{"$literal": 9.5}, {"$literal": 10}]]})", row));
  CHECK(Match(
      R"({"$gt": [{"$convert": {"input": {"$getField": "data.n"}, "to": "double"}}, {"$literal": 9}]})",
      row));
  CHECK(Match(
      R"({"$gte": [{"$convert": {"input": {"$getField": "data.n"}, "to": "int"}}, {"$literal": 10}]})",
      row));
  CHECK_FALSE(Match(
      R"({"$eq": [{"$convert": {"input": {"$getField": "data.s"}, "to": "int"}}, {"$literal": 0}]})",
      row));
}

TEST_CASE("three-valued logic with null columns") {
  ToyRow null_name(nullptr, Json::object());
  CHECK(Match(R"({"$eq": [{"$getField": "name"}, {"$literal": null}]})", null_name));
  CHECK_FALSE(Match(R"({"$eq": [{"$getField": "name"}, {"$literal": "a"}]})", null_name));
  CHECK_FALSE(
      Match(R"({"$not": [{"$eq": [{"$getField": "name"}, {"$literal": "a"}]}]})", null_name));
  CHECK(Match(
      R"({"$or": [{"$eq": [{"$getField": "name"}, {"$literal": "a"}]}, {"$eq": [{"$literal": 1}, {"$literal": 1}]}]})",
      null_name));
  CHECK_FALSE(Match(
      R"({"$and": [{"$eq": [{"$getField": "name"}, {"$literal": "a"}]}, {"$eq": [{"$literal": 1}, {"$literal": 1}]}]})",
      null_name));
  CHECK(Match(
      R"({"$eq": [{"$convert": {"input": {"$getField": "data"}, "to": "exists"}}, {"$literal": true}]})",
      null_name));
}

TEST_CASE("$in, $contains, n-ary $and") {
  ToyRow row("Hello World", Json::object());
  CHECK(
      Match(R"({"$in": [{"$getField": "name"}, [{"$literal": "x"}, {"$literal": "Hello World"}]]})",
            row));
  CHECK_FALSE(Match(R"({"$in": [{"$getField": "name"}, []]})", row));
  CHECK(Match(R"({"$contains": {"input": {"$getField": "name"}, "substr": {"$literal": "lo W"}}})",
              row));
  CHECK_FALSE(Match(
      R"({"$contains": {"input": {"$getField": "name"}, "substr": {"$literal": "LO W"}}})", row));
  CHECK(Match(
      R"({"$contains": {"input": {"$getField": "name"}, "substr": {"$literal": "LO W"}, "case_insensitive": true}})",
      row));
  CHECK_FALSE(Match(
      R"({"$and": [{"$eq": [{"$literal": 1}, {"$literal": 1}]}, {"$eq": [{"$literal": 1}, {"$literal": 1}]}, {"$eq": [{"$literal": 1}, {"$literal": 2}]}]})",
      row));
}

TEST_CASE("compile errors name the operator or field") {
  CHECK(CompileError(R"({"$and": []})").find("empty AND") != std::string::npos);
  CHECK(CompileError(R"({"$or": []})").find("empty OR") != std::string::npos);
  CHECK(CompileError(R"({"$regex": []})").find("unknown operator '$regex'") != std::string::npos);
  CHECK(CompileError(R"({"$eq": [{"$getField": "colour"}, {"$literal": 1}]})")
            .find("unknown field 'colour'") != std::string::npos);
  CHECK(CompileError(R"({"$eq": [{"$literal": 1}]})").find("expected 2 operand") !=
        std::string::npos);
  CHECK(CompileError(R"({"$literal": 1})").find("unknown operator") != std::string::npos);
  CHECK(
      CompileError(R"({"$convert": {"input": {"$literal": 1}, "to": "date"}})").find("$convert") !=
      std::string::npos);
}

TEST_CASE("sorting JSON paths: present first, numbers, then text") {
  static const ToySchema schema;
  std::vector<ToyRow> rows = {{"a", Json::parse(R"({"v": "b"})")},
                              {"b", Json::parse(R"({"v": 10})")},
                              {"c", Json::object()},
                              {"d", Json::parse(R"({"v": 9})")}};
  for (const char* dir : {"asc", "desc"}) {
    auto keys = CompileSort({SortItem{"data.v", std::string(dir) == "desc"}}, schema);
    REQUIRE(keys.ok());
    std::vector<const ToyRow*> order;
    for (const auto& r : rows) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return CompareRows(*a, *b, *keys) < 0; });
    std::string names;
    for (auto r : order) names += r->Get(FieldRef{}).text;
    CHECK(names == (std::string(dir) == "asc" ? "dbac" : "bdac"));
  }
}
