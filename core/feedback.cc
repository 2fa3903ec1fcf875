// feedback_create, feedback_create_batch, feedback_replace, feedback_query
// and feedback_purge (docs/semantics.md#feedback).
// Feedback rows live in the feedback sub-database keyed by creation time,
// so a project's rows read back in insertion order.
#include "core/feedback.h"

#include <algorithm>
#include <map>

#include "base/ids.h"
#include "base/utf8.h"
#include "core/api/refs.h"
#include "core/emoji.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/query.h"
#include "core/records/records.h"
#include "core/row_table.h"
#include "store/keys.h"

namespace weft {
namespace {

constexpr size_t kMaxPayloadChars = 1024;
constexpr const char* kColumnNames[] = {
    "id",         "project_id",    "weave_ref", "wb_user_id",     "creator",
    "created_at", "feedback_type", "payload",   "annotation_ref", "runnable_ref",
    "call_ref",   "trigger_ref"};
constexpr const char* kRefFields[] = {"annotation_ref", "runnable_ref", "call_ref", "trigger_ref"};
constexpr int kTimeColumns[] = {5};
const RowColumns kColumns{kColumnNames, 7, kTimeColumns};

Status CheckPayload(const std::string& type, Json& payload) {
  auto bad = [&](const std::string& what) {
    return Invalid("payload: invalid payload for feedback_type " + type + ": " + what);
  };
  if (type == "wandb.note.1") {
    if (!payload.contains("note") || !payload["note"].is_string())
      return bad("note must be a string");
    size_t n = CountCodePoints(payload["note"].get<std::string>());
    if (n < 1 || n > 1024)
      return bad("note must be 1 to 1024 characters, got " + std::to_string(n));
  } else if (type == "wandb.reaction.1") {
    if (!payload.contains("emoji") || !payload["emoji"].is_string())
      return bad("emoji must be a string");
    std::string emoji = payload["emoji"].get<std::string>();
    if (EmojiCount(emoji) != 1)
      return Invalid("payload.emoji: value of emoji key in payload must be exactly one emoji");
    std::string detoned = Detone(emoji);
    payload["alias"] = Demojize(emoji);
    payload["detoned"] = detoned;
    payload["detoned_alias"] = Demojize(detoned);
  }
  if (PythonDumps(payload).size() > kMaxPayloadChars)
    return Invalid("payload: feedback payload too large");
  return Status::OK();
}

// The ref fields of a FeedbackCreateReq, checked as Weave's
// validate_feedback_create_req does: annotation feedback
// (wandb.annotation.NAME) needs an annotation_ref to object NAME, runnable
// feedback (wandb.runnable.NAME) a runnable_ref to op or object NAME (and a
// call_ref when it is an op); other types take none of them.
Status CheckRefFields(const std::string& type,
                      const std::map<std::string, std::optional<std::string>>& refs,
                      const std::string& project, const Fields& f) {
  auto given = [&](const char* name) { return refs.at(name).has_value(); };
  auto parse = [&](const char* name, std::initializer_list<const char*> kinds) -> Result<Ref> {
    auto ref = ParseRef(*refs.at(name));
    if (!ref.ok() || std::find_if(kinds.begin(), kinds.end(),
                                  [&](const char* k) { return ref->kind == k; }) == kinds.end())
      return Invalid(f.PathOf(name) + ": invalid ref: " + *refs.at(name));
    if (ref->project_id != project)
      return Invalid(f.PathOf(name) + ": the ref belongs to project " + ref->project_id + ", not " +
                     project);
    return ref;
  };
  auto named = [&](const char* prefix, const char* ref_field,
                   std::initializer_list<const char*> kinds) -> Result<Ref> {
    std::string subname = type.substr(std::string_view(prefix).size());
    if (!type.starts_with(std::string(prefix)) || subname.empty())
      return Invalid("feedback_type: invalid " +
                     std::string(ref_field).substr(0, std::string(ref_field).find('_')) +
                     " feedback type: " + type);
    if (!given(ref_field))
      return Invalid(f.PathOf(ref_field) + ": " + ref_field + " is required for " +
                     std::string(ref_field).substr(0, std::string(ref_field).find('_')) +
                     " feedback");
    WEFT_ASSIGN(Ref ref, parse(ref_field, kinds));
    if (ref.name != subname)
      return Invalid(f.PathOf(ref_field) + ": " + ref_field +
                     " must point to an object with name " + subname);
    return ref;
  };
  if (type.starts_with("wandb.annotation")) {
    WEFT_TRY(named("wandb.annotation.", "annotation_ref", {"object"}));
  } else if (given("annotation_ref")) {
    return Invalid(f.PathOf("annotation_ref") +
                   ": annotation_ref is not allowed for non-annotation feedback");
  } else if (type.starts_with("wandb.runnable")) {
    WEFT_ASSIGN(Ref runnable, named("wandb.runnable.", "runnable_ref", {"op", "object"}));
    if (runnable.kind == "op" && !given("call_ref"))
      return Invalid(f.PathOf("call_ref") + ": call_ref is required for runnable feedback on ops");
  } else {
    for (const char* name : {"runnable_ref", "call_ref", "trigger_ref"})
      if (given(name))
        return Invalid(f.PathOf(name) + ": " + name + " is not allowed for non-runnable feedback");
  }
  if (given("call_ref")) WEFT_TRY(parse("call_ref", {"call"}));
  if (given("trigger_ref")) WEFT_TRY(parse("trigger_ref", {"object"}));
  return Status::OK();
}

// Every feedback row of a project, in insertion order.
Result<std::vector<JsonRow>> LoadAll(Txn& txn, const std::string& project) {
  std::vector<JsonRow> rows;
  WEFT_TRY(txn.ForEach(Db::kFeedback, keys::ProjectPrefix(project),
                       [&](std::string_view, std::string_view value) -> Result<bool> {
                         WEFT_ASSIGN(Json row, DecodeFeedback(value));
                         rows.emplace_back(std::move(row), kColumns);
                         return true;
                       }));
  return rows;
}

}  // namespace

Result<std::unordered_map<std::string, Json>> FeedbackByCall(Txn& txn, const std::string& project) {
  std::unordered_map<std::string, Json> by_call;
  std::string call_refs = std::string(kRefScheme) + project + "/call/";
  WEFT_ASSIGN(auto rows, LoadAll(txn, project));
  for (const JsonRow& r : rows) {
    const Json& row = r.json();
    auto field_of = [&](const char* name) {
      return row.is_object() && row.contains(name) ? row.at(name) : Json();
    };
    Json ref = field_of("weave_ref");
    if (!ref.is_string() || !ref.get_ref<const std::string&>().starts_with(call_refs)) continue;
    Json& list = by_call[ref.get<std::string>().substr(call_refs.size())];
    if (list.is_null()) list = Json::array();
    Json hydrated = Json::object();
    for (const char* field :
         {"feedback_type", "weave_ref", "payload", "creator", "created_at", "wb_user_id"})
      hydrated[field] = field_of(field);
    list.push_back(std::move(hydrated));
  }
  return by_call;
}

namespace {

// A validated feedback_create request: the row to store and its key parts.
struct NewFeedback {
  std::string project, id;
  Micros created_at = 0;
  Json row;
};

// Reads one FeedbackCreateReq. `id` and `created_at` are kept when the
// client gives them (feedback_create_batch items carry both).
Result<NewFeedback> ReadFeedbackCreate(Fields& f, Context& ctx) {
  NewFeedback fb;
  fb.project = f.ProjectId();
  std::string weave_ref = f.Str("weave_ref");
  auto creator = f.OptStr("creator");
  std::string type = f.Str("feedback_type");
  Json payload = f.Dict("payload");
  auto given_user = f.OptStr("wb_user_id");
  auto given_id = f.OptStr("id");
  bool has_time = f.OptAny("created_at") != nullptr;
  Micros created_at = has_time ? f.Time("created_at") : NowMicros();
  std::map<std::string, std::optional<std::string>> refs;
  for (const char* name : kRefFields) refs[name] = f.OptStr(name);
  WEFT_TRY(f.Finish());
  WEFT_TRY(CheckRefFields(type, refs, fb.project, f));
  WEFT_ASSIGN(Ref ref, ParseRef(weave_ref));
  if (ref.project_id != fb.project)
    return Invalid(f.PathOf("weave_ref") + ": the ref belongs to project " + ref.project_id +
                   ", not " + fb.project);
  if (given_id) WEFT_TRY(CheckClientId(*given_id, f.PathOf("id")));
  WEFT_TRY(CheckPayload(type, payload));
  std::string user = given_user && !given_user->empty() ? *given_user : ctx.user();
  fb.id = given_id ? *given_id : NewId();
  fb.created_at = created_at;
  fb.row = {{"id", fb.id},
            {"project_id", fb.project},
            {"weave_ref", weave_ref},
            {"wb_user_id", user},
            {"creator", creator ? Json(*creator) : Json(nullptr)},
            {"created_at", FormatTime(created_at)},
            {"feedback_type", type},
            {"payload", payload}};
  for (const auto& [name, ref] : refs) fb.row[name] = ref ? Json(*ref) : Json(nullptr);
  return fb;
}

Status PutFeedback(Txn& txn, const NewFeedback& fb) {
  return txn.Put(Db::kFeedback, keys::Feedback(fb.project, fb.created_at, fb.id),
                 EncodeFeedback(fb.row));
}

// FeedbackCreateRes: reactions answer their augmented payload.
Json CreatedFeedback(const NewFeedback& fb) {
  bool reaction = fb.row["feedback_type"] == "wandb.reaction.1";
  return Json{{"id", fb.id},
              {"created_at", fb.row["created_at"]},
              {"wb_user_id", fb.row["wb_user_id"]},
              {"payload", reaction ? fb.row["payload"] : Json::object()}};
}

// Deletes the feedback rows of a project whose ids are listed; answers how many.
Result<size_t> DeleteFeedback(Txn& txn, const std::string& project,
                              const std::vector<std::string>& ids) {
  std::string prefix = keys::ProjectPrefix(project);
  std::vector<std::string> doomed;
  WEFT_TRY(txn.ForEach(Db::kFeedback, prefix, [&](std::string_view key, std::string_view) {
    std::string id = keys::DecodeFeedbackId(key, prefix.size());
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) doomed.emplace_back(key);
    return true;
  }));
  for (const auto& key : doomed) WEFT_TRY(txn.Del(Db::kFeedback, key));
  return doomed.size();
}

}  // namespace

Result<Json> FeedbackCreate(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  WEFT_ASSIGN(NewFeedback fb, ReadFeedbackCreate(f, ctx));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return PutFeedback(txn, fb); }));
  return CreatedFeedback(fb);
}

namespace {

// Stores each item of rows, read as a FeedbackCreateReq (`extra` says what an
// unknown field does), in one transaction.
Result<Json> CreateEach(const Json& rows, Fields& f, Extra extra, Context& ctx) {
  std::vector<NewFeedback> items;
  for (size_t i = 0; i < rows.size(); ++i) {
    Fields item = f.Child(rows[i], "batch." + std::to_string(i), extra);
    WEFT_ASSIGN(NewFeedback fb, ReadFeedbackCreate(item, ctx));
    items.push_back(std::move(fb));
  }
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    for (const auto& fb : items) WEFT_TRY(PutFeedback(txn, fb));
    return Status::OK();
  }));
  Json res = Json::array();
  for (const auto& fb : items) res.push_back(CreatedFeedback(fb));
  return Json{{"res", res}};
}

}  // namespace

Result<Json> FeedbackCreateBatch(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  const Json& batch = f.List("batch");
  WEFT_TRY(f.Finish());
  return CreateEach(batch, f, Extra::kForbid, ctx);
}

Status ImportFeedback(const Json& rows, Context& ctx) {
  Json empty = Json::object();
  Fields f(empty, "", &ctx.warnings);
  WEFT_TRY(CreateEach(rows, f, Extra::kIgnore, ctx));
  return Status::OK();
}

Result<Json> FeedbackReplace(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string old_id = f.Str("feedback_id");
  WEFT_ASSIGN(NewFeedback fb, ReadFeedbackCreate(f, ctx));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    // Weave purges, then creates: an unknown id just creates the row.
    WEFT_TRY(DeleteFeedback(txn, fb.project, {old_id}));
    return PutFeedback(txn, fb);
  }));
  return CreatedFeedback(fb);
}

Result<Json> FeedbackQuery(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::vector<JsonRow> rows;
  if (f.ok()) {
    WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
      WEFT_ASSIGN(rows, LoadAll(txn, project));
      return Status::OK();
    }));
  }
  WEFT_ASSIGN(Json result, QueryRows(f, kColumns, std::move(rows)));
  return Json{{"result", std::move(result)}};
}

Result<Json> FeedbackPurge(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  const Json& query = f.Any("query");
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(auto ids, PurgeIds(query, "feedback", "feedback", false));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_TRY(DeleteFeedback(txn, project, ids));
    return Status::OK();
  }));
  return Json::object();
}

}  // namespace weft
