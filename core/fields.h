// Reads the fields of one request model (a JSON object) the way pydantic
// validates it: required and optional fields, their types, nested models.
// The first problem is kept, named by its dotted field path, and later
// reads return defaults, so a method reads every field and then asks ok().
// A model forbids fields it does not know (Weave's BaseModelStrict: every
// request, and the filters, sort items and cost inputs in it) or ignores
// them with a warning (the call, object and table schemas inside a
// request). docs/http-api.md#request-models says which is which. Scalars are
// read as pydantic's lax mode reads them ("2" for an int, "yes" for a bool).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/status.h"

namespace weft {

// What a model does with a field it does not know.
enum class Extra { kForbid, kIgnore };

class Fields {
 public:
  // `path` names the model in messages ("" for the request itself).
  Fields(const Json& obj, std::string path, std::vector<std::string>* warnings,
         Extra extra = Extra::kForbid);

  std::string Str(const char* key);
  // A required "entity/project" id (docs/semantics.md#ids-and-projects).
  std::string ProjectId(const char* key = "project_id");
  std::optional<std::string> OptStr(const char* key);
  int64_t Int(const char* key);
  std::optional<int64_t> OptInt(const char* key);
  std::optional<bool> OptBool(const char* key);
  // A number (float); `required` fails the request when it is absent.
  std::optional<double> Number(const char* key, bool required);
  Micros Time(const char* key);
  // A required object (dict) field.
  const Json& Dict(const char* key);
  const Json* OptDict(const char* key);
  // A required field of any type (null allowed, absence not).
  const Json& Any(const char* key);
  const Json* OptAny(const char* key);
  // A required list (an empty one when it is missing, with the error kept).
  const Json& List(const char* key);
  // A required list of strings.
  std::vector<std::string> StrList(const char* key);
  // A list of strings, or nullopt when absent or null.
  std::optional<std::vector<std::string>> OptStrList(const char* key);
  const Json* OptList(const char* key);

  // Fields of the model that weft accepts and does not keep (later Weave
  // fields such as thread_id): no unknown-field warning for them.
  void Accept(std::initializer_list<const char*> keys);

  // A nested model; problems inside it land here. Call its Finish() to
  // have its unknown fields checked.
  Fields Sub(const char* key, bool required = true, Extra extra = Extra::kIgnore);
  // A model found by the caller (a list item, say) at `key` below this one.
  Fields Child(const Json& value, const std::string& key, Extra extra = Extra::kIgnore);

  // Records a problem with a field that the request model refuses (HTTP 422).
  void Fail(const std::string& key, const std::string& what);
  // Records a problem that the server finds in a well-formed request, as
  // Weave's own checks do (InvalidRequest, HTTP 400).
  void Reject(const std::string& key, const std::string& what);
  std::string PathOf(const std::string& key) const;
  const std::string& path() const { return path_; }

  bool ok() const { return !error_ || !*error_; }
  // The first problem (of this model or any Sub), after checking this
  // model's unknown fields: a forbidding model refuses one that holds a
  // value (HTTP 422); one at a default (null, false, [], {}), and any
  // unknown field of an ignoring model, gets a warning.
  Status Finish();

 private:
  Fields(const Json* obj, std::string path, std::vector<std::string>* warnings,
         std::shared_ptr<std::optional<Error>> error, Extra extra);
  const Json* Lookup(const char* key, bool required);
  // An optional field of one JSON type (is: &Json::is_object, ...).
  const Json* OptOfType(const char* key, bool (Json::*is)() const noexcept, const char* want);
  void TypeError(const char* key, const char* want);

  const Json* obj_;
  std::string path_;
  std::vector<std::string>* warnings_;
  std::shared_ptr<std::optional<Error>> error_;
  Extra extra_;
  std::set<std::string> known_;
};

}  // namespace weft
