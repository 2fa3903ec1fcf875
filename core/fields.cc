// Pydantic-style field validation with a sticky first error.
#include "core/fields.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "base/ids.h"

namespace weft {
namespace {

const Json& NullJson() {
  static const Json kNull;
  return kNull;
}

const Json& EmptyDict() {
  static const Json kEmpty = Json::object();
  return kEmpty;
}

std::string Trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\n\r"), e = s.find_last_not_of(" \t\n\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// pydantic's str -> int: an optional sign, digits, and a fraction of zeros.
std::optional<int64_t> LaxInt(const std::string& text) {
  std::string s = Trimmed(text);
  size_t dot = s.find('.');
  if (dot != std::string::npos && s.find_first_not_of('0', dot + 1) != std::string::npos)
    return std::nullopt;
  std::string digits = s.substr(0, dot);
  size_t first = !digits.empty() && (digits[0] == '-' || digits[0] == '+');
  if (digits.size() == first || digits.size() > first + 18 ||
      digits.find_first_not_of("0123456789", first) != std::string::npos)
    return std::nullopt;
  return std::stoll(digits);
}

// pydantic's str -> bool words, in any case.
std::optional<bool> LaxBool(const std::string& text) {
  std::string s = Trimmed(text);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* t : {"1", "on", "t", "true", "y", "yes"})
    if (s == t) return true;
  for (const char* f : {"0", "off", "f", "false", "n", "no"})
    if (s == f) return false;
  return std::nullopt;
}

const char* TypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "a list";
    case Json::value_t::object: return "an object";
    default: return "a number";
  }
}

}  // namespace

Fields::Fields(const Json& obj, std::string path, std::vector<std::string>* warnings, Extra extra)
    : Fields(&obj, std::move(path), warnings, std::make_shared<std::optional<Error>>(), extra) {
  if (!obj.is_object()) {
    *error_ = ModelError((path_.empty() ? std::string("request") : path_) +
                         ": expected an object, got " + TypeName(obj));
    obj_ = &EmptyDict();
  }
}

Fields::Fields(const Json* obj, std::string path, std::vector<std::string>* warnings,
               std::shared_ptr<std::optional<Error>> error, Extra extra)
    : obj_(obj),
      path_(std::move(path)),
      warnings_(warnings),
      error_(std::move(error)),
      extra_(extra) {}

std::string Fields::PathOf(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void Fields::Fail(const std::string& key, const std::string& what) {
  if (!*error_) *error_ = ModelError(PathOf(key) + ": " + what);
}

void Fields::Reject(const std::string& key, const std::string& what) {
  if (!*error_) *error_ = Invalid(PathOf(key) + ": " + what);
}

void Fields::TypeError(const char* key, const char* want) {
  Fail(key, std::string("expected ") + want + ", got " + TypeName((*obj_)[key]));
}

const Json* Fields::Lookup(const char* key, bool required) {
  known_.insert(key);
  auto it = obj_->find(key);
  if (it == obj_->end()) {
    if (required) Fail(key, "field required");
    return nullptr;
  }
  return &*it;
}

std::string Fields::Str(const char* key) {
  auto v = OptStr(key);
  if (!v && obj_->contains(key)) Fail(key, "expected a string, got null");
  if (!v && !obj_->contains(key)) Fail(key, "field required");
  return v.value_or("");
}

std::string Fields::ProjectId(const char* key) {
  std::string id = Str(key);
  if (ok()) {
    Status s = CheckProjectId(id, PathOf(key));
    if (!s.ok() && !*error_) *error_ = s.error();
  }
  return id;
}

std::optional<std::string> Fields::OptStr(const char* key) {
  const Json* v = Lookup(key, false);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    TypeError(key, "a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

int64_t Fields::Int(const char* key) {
  auto v = OptInt(key);
  if (!v && ok())
    Fail(key, obj_->contains(key) ? "expected an integer, got null" : "field required");
  return v.value_or(0);
}

std::optional<int64_t> Fields::OptInt(const char* key) {
  const Json* v = Lookup(key, false);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_number_integer() && !(v->is_number_unsigned() && v->get<uint64_t>() > INT64_MAX))
    return v->get<int64_t>();
  if (v->is_number_float() && std::trunc(v->get<double>()) == v->get<double>() &&
      std::fabs(v->get<double>()) < 9e18)
    return static_cast<int64_t>(v->get<double>());
  if (v->is_boolean()) return v->get<bool>() ? 1 : 0;
  if (v->is_string())
    if (auto n = LaxInt(v->get_ref<const std::string&>())) return n;
  TypeError(key, "an integer");
  return std::nullopt;
}

std::optional<bool> Fields::OptBool(const char* key) {
  const Json* v = Lookup(key, false);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number() && (v->get<double>() == 0 || v->get<double>() == 1))
    return v->get<double>() == 1;
  if (v->is_string())
    if (auto b = LaxBool(v->get_ref<const std::string&>())) return b;
  TypeError(key, "a boolean");
  return std::nullopt;
}

std::optional<double> Fields::Number(const char* key, bool required) {
  const Json* v = Lookup(key, required);
  if (!v || (!required && v->is_null())) return std::nullopt;
  if (v->is_number()) return v->get<double>();
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(d)) return d;
  }
  TypeError(key, "a number");
  return std::nullopt;
}

Micros Fields::Time(const char* key) {
  const Json* v = Lookup(key, true);
  if (!v) return 0;
  if (v->is_string()) {
    if (auto t = ParseTime(v->get_ref<const std::string&>())) return *t;
    Fail(key, "invalid RFC 3339 time '" + v->get<std::string>() + "'");
    return 0;
  }
  if (v->is_number()) {  // pydantic takes Unix seconds, or milliseconds past 2e10
    double secs = v->get<double>();
    if (std::fabs(secs) > 2e10) secs /= 1000;
    return static_cast<Micros>(std::llround(secs * 1e6));
  }
  TypeError(key, "an RFC 3339 time string");
  return 0;
}

const Json& Fields::Dict(const char* key) {
  const Json* v = Lookup(key, true);
  if (v && !v->is_object()) TypeError(key, "an object");
  return v && v->is_object() ? *v : EmptyDict();
}

const Json* Fields::OptOfType(const char* key, bool (Json::*is)() const noexcept,
                              const char* want) {
  const Json* v = Lookup(key, false);
  if (!v || v->is_null()) return nullptr;
  if (!(v->*is)()) {
    TypeError(key, want);
    return nullptr;
  }
  return v;
}

const Json* Fields::OptDict(const char* key) {
  return OptOfType(key, &Json::is_object, "an object");
}

const Json& Fields::Any(const char* key) {
  const Json* v = Lookup(key, true);
  return v ? *v : NullJson();
}

const Json* Fields::OptAny(const char* key) {
  const Json* v = Lookup(key, false);
  return v && !v->is_null() ? v : nullptr;
}

const Json* Fields::OptList(const char* key) { return OptOfType(key, &Json::is_array, "a list"); }

const Json& Fields::List(const char* key) {
  static const Json kEmpty = Json::array();
  const Json* v = OptList(key);
  if (!v && ok()) Fail(key, obj_->contains(key) ? "expected a list, got null" : "field required");
  return v ? *v : kEmpty;
}

std::vector<std::string> Fields::StrList(const char* key) {
  auto v = OptStrList(key);
  if (!v && ok()) Fail(key, obj_->contains(key) ? "expected a list, got null" : "field required");
  return v.value_or(std::vector<std::string>{});
}

std::optional<std::vector<std::string>> Fields::OptStrList(const char* key) {
  const Json* v = OptList(key);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      Fail(std::string(key) + "." + std::to_string(i),
           std::string("expected a string, got ") + TypeName((*v)[i]));
      return std::nullopt;
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

void Fields::Accept(std::initializer_list<const char*> keys) {
  for (const char* key : keys) known_.insert(key);
}

Fields Fields::Sub(const char* key, bool required, Extra extra) {
  const Json* v = Lookup(key, required);
  if (!v || (v->is_null() && !required))
    return Fields(&EmptyDict(), PathOf(key), warnings_, error_, extra);
  return Child(*v, key, extra);
}

Fields Fields::Child(const Json& value, const std::string& key, Extra extra) {
  if (!value.is_object()) {
    Fail(key, std::string("expected an object, got ") + TypeName(value));
    return Fields(&EmptyDict(), PathOf(key), warnings_, error_, extra);
  }
  return Fields(&value, PathOf(key), warnings_, error_, extra);
}

Status Fields::Finish() {
  for (const auto& [key, value] : obj_->items()) {
    if (known_.count(key) || *error_) continue;
    // A newer client's option left at its default (null, false, [], {}) changes nothing.
    bool at_default = value.is_null() || value == false || (value.is_structured() && value.empty());
    if (extra_ == Extra::kForbid && !at_default)
      Fail(key, "extra inputs are not permitted");
    else if (warnings_)
      warnings_->push_back("unknown field '" + PathOf(key) + "' ignored");
  }
  if (*error_) return **error_;
  return Status::OK();
}

}  // namespace weft
