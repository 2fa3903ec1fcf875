// Compilation and three-valued evaluation of $expr queries, and sort_by.
#include "core/query.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <tuple>

namespace weft {

Value Value::Of(Kind kind, std::string text) {
  Value v;
  v.kind = kind;
  v.text = std::move(text);
  v.present = true;
  return v;
}

Value Value::Text(std::string s) { return Of(kText, std::move(s)); }

Value Value::Number(double d, std::string text) {
  Value v = Of(kNumber, std::move(text));
  v.number = d;
  return v;
}

Value Value::Bool(bool b) {
  Value v = Of(kBool, b ? "true" : "false");
  v.boolean = b;
  return v;
}

Value Value::Time(Micros t) {
  Value v = Of(kTime, FormatTime(t));
  v.time = t;
  return v;
}

Value Value::FromJson(const Json& j) {
  if (j.is_null()) return Null();
  if (j.is_string()) return Text(j.get<std::string>());
  if (j.is_boolean()) return Bool(j.get<bool>());
  if (j.is_number()) return Number(j.get<double>(), PythonDumps(j));
  return Text(PythonDumps(j));
}

Value Value::FromJsonPath(const Json* node) {
  if (!node || node->is_null()) {
    Value v = Text("");
    v.present = false;
    return v;
  }
  if (node->is_object() || node->is_array()) return Text("");
  return Text(node->is_string() ? node->get<std::string>() : PythonDumps(*node));
}

std::string Value::AsText() const { return kind == kNull ? "" : text; }

namespace {

// Python int(): optional sign, digits.
std::optional<long long> ParseInt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno || *end || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (*end) return std::nullopt;
  return v;
}

}  // namespace

namespace {

// Three-valued comparison: nullopt when either side is null.
std::optional<int> Compare(const Value& a, const Value& b) {
  if (a.kind == Value::kNull || b.kind == Value::kNull) return std::nullopt;
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  auto num = [](const Value& v) -> std::optional<double> {
    switch (v.kind) {
      case Value::kNumber: return v.number;
      case Value::kBool: return v.boolean ? 1.0 : 0.0;
      case Value::kTime: return static_cast<double>(v.time) / 1e6;
      default: return std::nullopt;
    }
  };
  if (a.kind == Value::kTime || b.kind == Value::kTime) {
    const Value& other = a.kind == Value::kTime ? b : a;
    Micros ta = a.time, tb = b.time;
    if (other.kind == Value::kText) {
      auto t = ParseTime(other.text);
      if (!t) return sign(a.text, b.text);
      (a.kind == Value::kTime ? tb : ta) = *t;
      return sign(ta, tb);
    }
    if (other.kind == Value::kTime) return sign(ta, tb);
  }
  auto na = num(a), nb = num(b);
  if (na && nb) return sign(*na, *nb);
  return sign(a.text, b.text);
}

Value Tri(std::optional<bool> b) { return b ? Value::Bool(*b) : Value::Null(); }

std::optional<bool> Truth(const Value& v) {
  if (v.kind == Value::kBool) return v.boolean;
  if (v.kind == Value::kNumber) return v.number != 0;
  return std::nullopt;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

class Expr {
 public:
  enum Op { kLiteral, kField, kConvert, kAnd, kOr, kNot, kEq, kIsNull, kGt, kGte, kIn, kContains };
  Op op;
  Value literal;
  bool null_literal = false;
  // For a bool, int or float literal: the $convert a JSON field compared
  // with it gets (Weave's infer_literal_filter_cast).
  const char* literal_cast = nullptr;
  FieldRef field;
  std::string to;  // $convert target
  bool case_insensitive = false;
  std::vector<std::shared_ptr<const Expr>> args;

  Value Eval(const Row& row) const {
    switch (op) {
      case kLiteral: return literal;
      case kField: return row.Get(field);
      case kConvert: return Convert(args[0]->Eval(row));
      case kAnd:
      case kOr: {
        bool unknown = false;
        for (const auto& a : args) {
          auto t = Truth(a->Eval(row));
          if (!t)
            unknown = true;
          else if (*t == (op == kOr))
            return Value::Bool(op == kOr);
        }
        return unknown ? Value::Null() : Value::Bool(op == kAnd);
      }
      case kNot: {
        auto t = Truth(args[0]->Eval(row));
        return Tri(t ? std::optional<bool>(!*t) : std::nullopt);
      }
      case kIsNull: return Value::Bool(args[0]->Eval(row).kind == Value::kNull);
      case kEq: {
        auto c = Compare(args[0]->Eval(row), args[1]->Eval(row));
        return Tri(c ? std::optional<bool>(*c == 0) : std::nullopt);
      }
      case kGt:
      case kGte: {
        auto c = Compare(args[0]->Eval(row), args[1]->Eval(row));
        return Tri(c ? std::optional<bool>(op == kGt ? *c > 0 : *c >= 0) : std::nullopt);
      }
      case kIn: {
        Value x = args[0]->Eval(row);
        bool unknown = false;
        for (size_t i = 1; i < args.size(); ++i) {
          auto c = Compare(x, args[i]->Eval(row));
          if (!c)
            unknown = true;
          else if (*c == 0)
            return Value::Bool(true);
        }
        return unknown ? Value::Null() : Value::Bool(false);
      }
      case kContains: {
        Value in = args[0]->Eval(row), sub = args[1]->Eval(row);
        if (in.kind == Value::kNull || sub.kind == Value::kNull) return Value::Null();
        std::string hay = in.AsText(), needle = sub.AsText();
        if (case_insensitive) {
          hay = Lower(hay);
          needle = Lower(needle);
        }
        return Value::Bool(hay.find(needle) != std::string::npos);
      }
    }
    return Value::Null();
  }

  Value Convert(const Value& v) const {
    if (to == "exists") return Value::Bool(v.kind != Value::kNull);
    if (v.kind == Value::kNull) return v;
    if (to == "string") return Value::Text(v.AsText());
    if (to == "double") {
      if (v.kind == Value::kNumber) return v;
      if (v.kind == Value::kBool) return Value::Number(v.boolean, v.boolean ? "1.0" : "0.0");
      if (v.kind == Value::kTime) return Value::Number(v.time / 1e6, PythonFloatRepr(v.time / 1e6));
      auto d = ParseDouble(v.text);
      return d ? Value::Number(*d, PythonFloatRepr(*d)) : Value::Null();
    }
    if (to == "int") {
      if (v.kind == Value::kNumber)
        return Value::Number(std::trunc(v.number),
                             std::to_string(static_cast<long long>(v.number)));
      if (v.kind == Value::kBool) return Value::Number(v.boolean, v.boolean ? "1" : "0");
      auto i = ParseInt(v.text);
      return i ? Value::Number(static_cast<double>(*i), std::to_string(*i)) : Value::Null();
    }
    // bool
    if (v.kind == Value::kBool) return v;
    if (v.kind == Value::kNumber) return Value::Bool(v.number != 0);
    if (v.text == "1" || v.text == "true") return Value::Bool(true);
    if (v.text == "0" || v.text == "false") return Value::Bool(false);
    return Value::Null();
  }
};

namespace {

class Compiler {
 public:
  Compiler(const Schema& schema, NullEquality null_equality)
      : schema_(schema), null_equality_(null_equality) {}

  Result<std::shared_ptr<const Expr>> Operand(const Json& j, const std::string& at) {
    if (!j.is_object())
      return ModelError(at + ": expected an operand object, got " + CompactDumps(j));
    if (j.contains("$literal")) {
      if (j["$literal"].is_object() || j["$literal"].is_array())
        return Invalid(at + ".$literal: expected a string, number, boolean or null, got " +
                       (j["$literal"].is_object() ? "an object" : "a list"));
      auto e = std::make_shared<Expr>();
      e->op = Expr::kLiteral;
      e->literal = Value::FromJson(j["$literal"]);
      e->null_literal = j["$literal"].is_null();
      const Json& l = j["$literal"];
      e->literal_cast = l.is_boolean()          ? "bool"
                        : l.is_number_integer() ? "int"
                        : l.is_number_float()   ? "double"
                                                : nullptr;
      return std::shared_ptr<const Expr>(e);
    }
    if (j.contains("$getField")) {
      const Json& name = j["$getField"];
      if (!name.is_string()) return ModelError(at + ".$getField: expected a field name");
      auto e = std::make_shared<Expr>();
      e->op = Expr::kField;
      if (!schema_.Resolve(name.get<std::string>(), e->field))
        return FieldError(at + ".$getField: unknown field '" + name.get<std::string>() + "'");
      return std::shared_ptr<const Expr>(e);
    }
    if (j.contains("$convert")) {
      const Json& c = j["$convert"];
      static const char* kTypes[] = {"double", "string", "int", "bool", "exists"};
      if (!c.is_object() || !c.contains("input") || !c.contains("to") || !c["to"].is_string() ||
          std::find(std::begin(kTypes), std::end(kTypes), c["to"].get<std::string>()) ==
              std::end(kTypes))
        return ModelError(
            at + ".$convert: expected {\"input\": ..., \"to\": double|string|int|bool|exists}");
      auto e = std::make_shared<Expr>();
      e->op = Expr::kConvert;
      e->to = c["to"].get<std::string>();
      WEFT_ASSIGN(auto input, Operand(c["input"], at + ".$convert.input"));
      e->args.push_back(input);
      return std::shared_ptr<const Expr>(e);
    }
    return Operation(j, at);
  }

  // Weave's infer_literal_filter_cast: a JSON field (read as text) compared
  // with a bool, int or float literal is converted to that type first.
  static std::shared_ptr<const Expr> CastJsonField(std::shared_ptr<const Expr> operand,
                                                   const char* to) {
    if (!to || operand->op != Expr::kField || !operand->field.json) return operand;
    auto c = std::make_shared<Expr>();
    c->op = Expr::kConvert;
    c->to = to;
    c->args.push_back(std::move(operand));
    return c;
  }

  // The cast an $in list of literals shares (ints and floats: double), or
  // nullptr for any other mix (infer_shared_literal_filter_cast).
  static const char* SharedCast(const std::vector<std::shared_ptr<const Expr>>& args) {
    const char* shared = nullptr;
    for (size_t i = 1; i < args.size(); ++i) {
      const char* c = args[i]->literal_cast;
      if (!c) return nullptr;
      if (!shared || std::string_view(shared) == c)
        shared = c;
      else if (std::string_view(shared) != "bool" && std::string_view(c) != "bool")
        shared = "double";
      else
        return nullptr;
    }
    return shared;
  }

  // {"$contains": {"input": x, "substr": y, "case_insensitive": b}}
  Result<std::shared_ptr<const Expr>> Contains(const Json& a, const std::string& here,
                                               std::shared_ptr<Expr> e) {
    if (!a.is_object() || !a.contains("input") || !a.contains("substr"))
      return ModelError(here + ": expected {\"input\": ..., \"substr\": ...}");
    WEFT_ASSIGN(auto in, Operand(a["input"], here + ".input"));
    WEFT_ASSIGN(auto sub, Operand(a["substr"], here + ".substr"));
    e->args = {in, sub};
    if (a.contains("case_insensitive") && !a["case_insensitive"].is_null()) {
      if (!a["case_insensitive"].is_boolean())
        return ModelError(here + ".case_insensitive: expected a boolean");
      e->case_insensitive = a["case_insensitive"].get<bool>();
    }
    return std::shared_ptr<const Expr>(e);
  }

  // {"$in": [x, [y, z...]]}, x cast as the list's literals are.
  Result<std::shared_ptr<const Expr>> In(const Json& a, const std::string& here,
                                         std::shared_ptr<Expr> e) {
    if (a.size() != 2 || !a[1].is_array())
      return ModelError(here + ": expected [operand, [operands...]]");
    WEFT_ASSIGN(auto x, Operand(a[0], here + ".0"));
    e->args.push_back(x);
    for (size_t i = 0; i < a[1].size(); ++i) {
      WEFT_ASSIGN(auto item, Operand(a[1][i], here + ".1." + std::to_string(i)));
      e->args.push_back(item);
    }
    e->args[0] = CastJsonField(e->args[0], SharedCast(e->args));
    return std::shared_ptr<const Expr>(e);
  }

  Result<std::shared_ptr<const Expr>> Operation(const Json& j, const std::string& at) {
    // $lt and $lte are $gt and $gte with their operands swapped.
    static const std::tuple<const char*, Expr::Op, bool> kOps[] = {
        {"$and", Expr::kAnd, false}, {"$or", Expr::kOr, false},
        {"$not", Expr::kNot, false}, {"$eq", Expr::kEq, false},
        {"$gt", Expr::kGt, false},   {"$gte", Expr::kGte, false},
        {"$lt", Expr::kGt, true},    {"$lte", Expr::kGte, true},
        {"$in", Expr::kIn, false},   {"$contains", Expr::kContains, false}};
    if (!j.is_object()) return ModelError(at + ": expected an operation, got " + CompactDumps(j));
    for (const auto& [name, op, swapped] : kOps) {
      if (!j.contains(name)) continue;
      const Json& a = j[name];
      std::string here = at + "." + name;
      auto e = std::make_shared<Expr>();
      e->op = op;
      if (op == Expr::kContains) return Contains(a, here, e);
      if (!a.is_array()) return ModelError(here + ": expected a list of operands");
      if (op == Expr::kIn) return In(a, here, e);
      size_t want = op == Expr::kNot ? 1 : (op == Expr::kAnd || op == Expr::kOr) ? 0 : 2;
      if (want == 0 && a.empty())
        return Invalid(here + ": empty " + (op == Expr::kAnd ? "AND" : "OR") + " operation");
      if (want != 0 && a.size() != want)
        return ModelError(here + ": expected " + std::to_string(want) + " operand(s), got " +
                          std::to_string(a.size()));
      for (size_t i = 0; i < a.size(); ++i) {
        WEFT_ASSIGN(auto arg, Operand(a[i], here + "." + std::to_string(i)));
        e->args.push_back(arg);
      }
      if (swapped) std::swap(e->args[0], e->args[1]);
      if (op == Expr::kEq || op == Expr::kGt || op == Expr::kGte) {
        const char* cast0 = e->args[1]->literal_cast;
        const char* cast1 = e->args[0]->literal_cast;
        e->args[0] = CastJsonField(e->args[0], cast0);
        e->args[1] = CastJsonField(e->args[1], cast1);
      }
      // `x == null` is "x is null" only with the null literal on the right.
      if (op == Expr::kEq && e->args[1]->null_literal && null_equality_ == NullEquality::kIsNull) {
        e->op = Expr::kIsNull;
        e->args.pop_back();
      }
      return std::shared_ptr<const Expr>(e);
    }
    std::string key = j.empty() ? "{}" : j.begin().key();
    return ModelError(at + ": unknown operator '" + key + "'");
  }

 private:
  const Schema& schema_;
  NullEquality null_equality_;
};

// The needle of a $contains of a field with a printable-ASCII literal.
std::optional<Query::Needle> PlainNeedle(const Expr& e) {
  if (e.op != Expr::kContains || e.args[0]->op != Expr::kField || e.args[1]->op != Expr::kLiteral ||
      e.args[1]->literal.kind != Value::kText)
    return std::nullopt;
  const std::string& text = e.args[1]->literal.text;
  bool plain = std::all_of(text.begin(), text.end(),
                           [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
  if (!plain) return std::nullopt;
  return Query::Needle{e.args[0]->field.column, e.case_insensitive ? Lower(text) : text,
                       e.case_insensitive};
}

void CollectNeedles(const Expr& e, std::vector<Query::NeedleGroup>& out) {
  if (e.op == Expr::kAnd) {
    for (const auto& a : e.args) CollectNeedles(*a, out);
    return;
  }
  Query::NeedleGroup group;
  for (const auto& a : e.op == Expr::kOr ? e.args : std::vector<std::shared_ptr<const Expr>>{}) {
    auto n = PlainNeedle(*a);
    if (!n) return;
    group.push_back(std::move(*n));
  }
  if (auto n = PlainNeedle(e)) group.push_back(std::move(*n));
  // Fields of one column share its text: each text is looked for once.
  auto key = [](const Query::Needle& n) { return std::tie(n.column, n.text, n.case_insensitive); };
  std::sort(group.begin(), group.end(), [&](auto& x, auto& y) { return key(x) < key(y); });
  group.erase(
      std::unique(group.begin(), group.end(), [&](auto& x, auto& y) { return key(x) == key(y); }),
      group.end());
  if (!group.empty()) out.push_back(std::move(group));
}

// A literal's time, when it is one (an RFC 3339 text or a time).
std::optional<Micros> LiteralTime(const Expr& e) {
  if (e.op != Expr::kLiteral) return std::nullopt;
  if (e.literal.kind == Value::kTime) return e.literal.time;
  if (e.literal.kind == Value::kText) return ParseTime(e.literal.text);
  return std::nullopt;
}

// Narrows w by a comparison of the column with a time (negated: by its
// $not), or by each operand of an $and; false when e holds anything else.
bool Narrow(const Expr& e, int column, bool negated, Query::Window& w) {
  if (e.op == Expr::kAnd && !negated) {
    bool all = true;
    for (const auto& a : e.args) all &= Narrow(*a, column, false, w);
    return all;
  }
  if (e.op == Expr::kNot) return !negated && Narrow(*e.args[0], column, true, w);
  if (e.op != Expr::kGt && e.op != Expr::kGte && e.op != Expr::kEq) return false;
  if (e.op == Expr::kEq && negated) return false;
  auto is_column = [&](const Expr& x) {
    return x.op == Expr::kField && !x.field.json && x.field.column == column;
  };
  bool field_left = is_column(*e.args[0]);
  auto t = LiteralTime(*e.args[field_left ? 1 : 0]);
  if (!t || !(field_left || is_column(*e.args[1]))) return false;
  if (e.op == Expr::kEq) {
    w.from = std::max(w.from, *t);
    w.to = std::min(w.to, *t + 1);
    return true;
  }
  // field > t, field >= t, t > field, t >= field; negated, the opposite.
  bool above = field_left != negated, strict = (e.op == Expr::kGt) != negated;
  if (above)
    w.from = std::max(w.from, strict ? *t + 1 : *t);
  else
    w.to = std::min(w.to, strict ? *t : *t + 1);
  return true;
}

// The text literal an $eq of the field with it asks for, in e or (through
// $and) in any of its operands.
std::optional<std::string> EqualText(const Expr& e, int column,
                                     const std::vector<std::string>& path) {
  if (e.op == Expr::kAnd) {
    for (const auto& a : e.args)
      if (auto text = EqualText(*a, column, path)) return text;
    return std::nullopt;
  }
  if (e.op != Expr::kEq) return std::nullopt;
  auto is_field = [&](const Expr& x) {
    return x.op == Expr::kField && x.field.column == column && x.field.path == path;
  };
  bool field_left = is_field(*e.args[0]);
  const Expr& literal = *e.args[field_left ? 1 : 0];
  if (!(field_left || is_field(*e.args[1])) || literal.op != Expr::kLiteral ||
      literal.literal.kind != Value::kText)
    return std::nullopt;
  return literal.literal.text;
}

// OnlyTimesAndText's walk; text is the one text seen so far.
bool OnlyTimesAnd(const Expr& e, int time_column, int column, const std::vector<std::string>& path,
                  std::optional<std::string>& text) {
  if (e.op == Expr::kAnd) {
    for (const auto& a : e.args)
      if (!OnlyTimesAnd(*a, time_column, column, path, text)) return false;
    return true;
  }
  Query::Window scratch;
  if (Narrow(e, time_column, false, scratch)) return true;
  auto t = e.op == Expr::kEq ? EqualText(e, column, path) : std::nullopt;
  if (!t || (text && *text != *t)) return false;
  text = std::move(t);
  return true;
}

}  // namespace

bool Query::OnlyTimesAndText(int time_column, int column,
                             const std::vector<std::string>& path) const {
  std::optional<std::string> text;
  return OnlyTimesAnd(*root_, time_column, column, path, text);
}

Query::Window Query::TimeWindow(int column) const {
  Window w;
  w.whole = Narrow(*root_, column, false, w);
  return w;
}

Query::Equality Query::TextEquality(int column, const std::vector<std::string>& path) const {
  Equality eq;
  eq.text = EqualText(*root_, column, path);
  eq.whole = eq.text && root_->op == Expr::kEq;
  return eq;
}

Result<Query> Query::Compile(const Json& query, const Schema& schema, const std::string& where,
                             NullEquality null_equality) {
  if (!query.is_object() || !query.contains("$expr"))
    return ModelError(where + ": expected {\"$expr\": ...}");
  if (query.size() != 1)
    for (const auto& [key, _] : query.items())
      if (key != "$expr")
        return ModelError(where + "." + key + ": unknown field (a query holds only $expr)");
  Query q;
  Compiler c(schema, null_equality);
  WEFT_ASSIGN(q.root_, c.Operation(query["$expr"], where + ".$expr"));
  return q;
}

std::vector<Query::NeedleGroup> Query::Needles() const {
  std::vector<NeedleGroup> out;
  CollectNeedles(*root_, out);
  return out;
}

bool HoldsNeedle(std::string_view text, const Query::Needle& needle) {
  if (!needle.case_insensitive) return text.find(needle.text) != std::string_view::npos;
  // Each place the first letter is found in either case (memchr), compared folded.
  const std::string& n = needle.text;
  if (n.empty()) return true;
  char lower = n[0], upper = static_cast<char>(std::toupper(static_cast<unsigned char>(lower)));
  constexpr size_t kNone = std::string_view::npos;
  size_t a = text.find(lower), b = upper == lower ? kNone : text.find(upper);
  for (;;) {
    size_t at = std::min(a, b);
    if (at == kNone || at + n.size() > text.size()) return false;
    size_t i = 1;
    while (i < n.size() && std::tolower(static_cast<unsigned char>(text[at + i])) == n[i]) ++i;
    if (i == n.size()) return true;
    if (at == a)
      a = text.find(lower, a + 1);
    else
      b = text.find(upper, b + 1);
  }
}

bool Query::Matches(const Row& row) const {
  Value v = root_->Eval(row);
  return Truth(v).value_or(false);
}

Result<std::vector<SortKey>> CompileSort(const std::vector<SortItem>& items, const Schema& schema) {
  std::vector<SortKey> keys;
  for (size_t i = 0; i < items.size(); ++i) {
    SortKey key;
    const std::string& name = items[i].field;
    if (name.empty() || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string::npos)
      return Invalid("sort_by." + std::to_string(i) + ".field: '" + name +
                     "' has an empty path segment");
    if (!schema.Resolve(name, key.field))
      return FieldError("sort_by." + std::to_string(i) + ".field: unknown field '" + name + "'");
    key.descending = items[i].descending;
    keys.push_back(std::move(key));
  }
  return keys;
}

int CompareRows(const Row& a, const Row& b, const std::vector<SortKey>& keys) {
  for (const SortKey& key : keys) {
    Value va = a.Get(key.field), vb = b.Get(key.field);
    int dir = key.descending ? -1 : 1;
    if (key.field.json) {
      if (va.present != vb.present) return va.present ? -1 : 1;
      auto da = ParseDouble(va.AsText()), db = ParseDouble(vb.AsText());
      if (va.kind == Value::kNumber) da = va.number;
      if (vb.kind == Value::kNumber) db = vb.number;
      if (da.has_value() != db.has_value()) return da ? -1 : 1;
      if (da && *da != *db) return (*da < *db ? -1 : 1) * dir;
      if (va.AsText() != vb.AsText()) return (va.AsText() < vb.AsText() ? -1 : 1) * dir;
      continue;
    }
    bool na = va.kind == Value::kNull, nb = vb.kind == Value::kNull;
    if (na != nb) return na ? 1 : -1;
    if (na) continue;
    auto c = Compare(va, vb);
    if (c && *c != 0) return *c * dir;
  }
  return 0;
}

}  // namespace weft
