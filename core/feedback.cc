// feedback_create, feedback_create_batch, feedback_replace, feedback_query
// and feedback_purge (docs/semantics.md#feedback).
// Feedback rows live in the feedback sub-database keyed by creation time,
// so a project's rows read back in insertion order.
#include "core/feedback.h"

#include <algorithm>
#include <map>

#include "base/ids.h"
#include "base/utf8.h"
#include "core/emoji.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/query.h"
#include "core/refs.h"
#include "store/keys.h"

namespace weft {
namespace {

constexpr size_t kMaxPayloadChars = 1024;
// The columns of a feedback row, in kColumns order.
enum FeedbackColumn { kId, kProjectId, kWeaveRef, kWbUserId, kCreator, kCreatedAt, kFeedbackType, kPayload };
constexpr const char* kColumns[] = {"id", "project_id", "weave_ref", "wb_user_id",
                                    "creator", "created_at", "feedback_type", "payload"};

class FeedbackFields : public Schema {
 public:
  bool Resolve(const std::string& name, FieldRef& out) const override {
    std::vector<std::string> path = SplitPath(name);
    auto it = std::find(std::begin(kColumns), std::end(kColumns), path[0]);
    if (it == std::end(kColumns) || (path.size() > 1 && it - kColumns != kPayload)) return false;
    out.column = static_cast<int>(it - kColumns);
    out.json = out.column == kPayload;
    out.path.assign(path.begin() + 1, path.end());
    out.name = name;
    return true;
  }
};

class FeedbackRow : public Row {
 public:
  explicit FeedbackRow(Json row) : row_(std::move(row)) {}
  const Json& json() const { return row_; }
  Value Get(const FieldRef& f) const override {
    const Json& v = row_[kColumns[f.column]];
    if (f.json) return Value::FromJsonPath(FollowPath(v, f.path));
    if (f.column == kCreatedAt && v.is_string()) return Value::Time(ParseTime(v.get<std::string>()).value_or(0));
    return Value::FromJson(v);
  }

 private:
  Json row_;
};

Status CheckPayload(const std::string& type, Json& payload) {
  auto bad = [&](const std::string& what) {
    return Invalid("payload: invalid payload for feedback_type " + type + ": " + what);
  };
  if (type == "wandb.note.1") {
    if (!payload.contains("note") || !payload["note"].is_string()) return bad("note must be a string");
    size_t n = CountCodePoints(payload["note"].get<std::string>());
    if (n < 1 || n > 1024) return bad("note must be 1 to 1024 characters, got " + std::to_string(n));
  } else if (type == "wandb.reaction.1") {
    if (!payload.contains("emoji") || !payload["emoji"].is_string()) return bad("emoji must be a string");
    std::string emoji = payload["emoji"].get<std::string>();
    if (EmojiCount(emoji) != 1) return Invalid("payload.emoji: value of emoji key in payload must be exactly one emoji");
    std::string detoned = Detone(emoji);
    payload["alias"] = Demojize(emoji);
    payload["detoned"] = detoned;
    payload["detoned_alias"] = Demojize(detoned);
  }
  if (PythonDumps(payload).size() > kMaxPayloadChars) return Invalid("payload: feedback payload too large");
  return Status::OK();
}

// Every feedback row of a project, in insertion order.
Result<std::vector<FeedbackRow>> LoadAll(Txn& txn, const std::string& project) {
  std::vector<FeedbackRow> rows;
  WEFT_TRY(txn.ForEach(Db::kFeedback, keys::ProjectPrefix(project), [&](std::string_view, std::string_view value) -> Result<bool> {
    WEFT_ASSIGN(Json row, ParseJson(value, "stored feedback"));
    rows.emplace_back(std::move(row));
    return true;
  }));
  return rows;
}

}  // namespace

Result<std::unordered_map<std::string, Json>> FeedbackByCall(Txn& txn, const std::string& project) {
  std::unordered_map<std::string, Json> by_call;
  std::string call_refs = std::string(kRefScheme) + project + "/call/";
  WEFT_ASSIGN(auto rows, LoadAll(txn, project));
  for (const FeedbackRow& r : rows) {
    const Json& row = r.json();
    auto field_of = [&](const char* name) { return row.is_object() && row.contains(name) ? row.at(name) : Json(); };
    Json ref = field_of("weave_ref");
    if (!ref.is_string() || !ref.get_ref<const std::string&>().starts_with(call_refs)) continue;
    Json& list = by_call[ref.get<std::string>().substr(call_refs.size())];
    if (list.is_null()) list = Json::array();
    Json hydrated = Json::object();
    for (const char* field : {"feedback_type", "weave_ref", "payload", "creator", "created_at", "wb_user_id"})
      hydrated[field] = field_of(field);
    list.push_back(std::move(hydrated));
  }
  return by_call;
}

namespace {

// The ids of feedback_purge's only allowed query shapes: an $eq of id and a
// string literal, or an $or of those.
Result<std::vector<std::string>> PurgeIds(const Json& query) {
  Error bad = Invalid("query: can only purge feedback by specifying one or more feedback ids");
  auto id_of = [](const Json& eq) -> std::optional<std::string> {
    if (!eq.is_object() || eq.size() != 1 || !eq.contains("$eq")) return std::nullopt;
    const Json& a = eq["$eq"];
    if (!a.is_array() || a.size() != 2 || a[0] != Json{{"$getField", "id"}} || !a[1].is_object() ||
        a[1].size() != 1 || !a[1].contains("$literal") || !a[1]["$literal"].is_string())
      return std::nullopt;
    return a[1]["$literal"].get<std::string>();
  };
  if (!query.is_object() || query.size() != 1 || !query.contains("$expr")) return bad;
  const Json& e = query["$expr"];
  if (auto id = id_of(e)) return std::vector<std::string>{*id};
  if (!e.is_object() || e.size() != 1 || !e.contains("$or") || !e["$or"].is_array()) return bad;
  if (e["$or"].empty()) return Invalid("query.$expr.$or: empty OR operation");
  std::vector<std::string> ids;
  for (const Json& item : e["$or"]) {
    auto id = id_of(item);
    if (!id) return bad;
    ids.push_back(*id);
  }
  return ids;
}

// One output row with the requested fields ("payload.x" values as JSON).
Json Project(const Json& row, const std::vector<std::string>& fields) {
  if (fields.empty()) return row;
  Json out = Json::object();
  for (const auto& f : fields) {
    std::string key = f.ends_with("_dump") ? f.substr(0, f.size() - 5) : f;
    std::vector<std::string> path = SplitPath(key);
    const Json* v = FollowPath(row, path);
    out[key] = v ? *v : Json(nullptr);
  }
  return out;
}

}  // namespace

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
  for (const char* ref_field : {"annotation_ref", "runnable_ref", "call_ref", "trigger_ref"}) f.OptStr(ref_field);
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(Ref ref, ParseRef(weave_ref));
  if (ref.project_id != fb.project)
    return Invalid(f.PathOf("weave_ref") + ": the ref belongs to project " + ref.project_id + ", not " + fb.project);
  if (given_id) WEFT_TRY(CheckClientId(*given_id, f.PathOf("id")));
  WEFT_TRY(CheckPayload(type, payload));
  std::string user = given_user && !given_user->empty() ? *given_user : ctx.user();
  fb.id = given_id ? *given_id : NewId();
  fb.created_at = created_at;
  fb.row = {{"id", fb.id}, {"project_id", fb.project}, {"weave_ref", weave_ref},
            {"wb_user_id", user}, {"creator", creator ? Json(*creator) : Json(nullptr)},
            {"created_at", FormatTime(created_at)}, {"feedback_type", type}, {"payload", payload}};
  return fb;
}

Status PutFeedback(Txn& txn, const NewFeedback& fb) {
  return txn.Put(Db::kFeedback, keys::Feedback(fb.project, fb.created_at, fb.id), CompactDumps(fb.row));
}

// FeedbackCreateRes: reactions answer their augmented payload.
Json CreatedFeedback(const NewFeedback& fb) {
  bool reaction = fb.row["feedback_type"] == "wandb.reaction.1";
  return Json{{"id", fb.id}, {"created_at", fb.row["created_at"]}, {"wb_user_id", fb.row["wb_user_id"]},
              {"payload", reaction ? fb.row["payload"] : Json::object()}};
}

// Deletes the feedback rows of a project whose ids are listed; answers how many.
Result<size_t> DeleteFeedback(Txn& txn, const std::string& project, const std::vector<std::string>& ids) {
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

Result<Json> FeedbackCreateBatch(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  const Json& batch = f.List("batch");
  WEFT_TRY(f.Finish());
  std::vector<NewFeedback> items;
  for (size_t i = 0; i < batch.size(); ++i) {
    Fields item = f.Child(batch[i], "batch." + std::to_string(i));
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

Result<Json> FeedbackReplace(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string old_id = f.Str("feedback_id");
  WEFT_ASSIGN(NewFeedback fb, ReadFeedbackCreate(f, ctx));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(size_t deleted, DeleteFeedback(txn, fb.project, {old_id}));
    if (deleted == 0) return NotFound("Feedback " + old_id + " not found");
    return PutFeedback(txn, fb);
  }));
  return CreatedFeedback(fb);
}

Result<Json> FeedbackQuery(const Json& req, Context& ctx) {
  static const FeedbackFields kSchema;
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::vector<std::string> fields = f.OptStrList("fields").value_or(std::vector<std::string>{});
  const Json* query = f.OptAny("query");
  auto sort_by = ReadSortBy(f);
  Paging paging = ReadPaging(f);
  WEFT_TRY(f.Finish());
  bool count_only = std::find(fields.begin(), fields.end(), "count(*)") != fields.end();
  for (size_t i = 0; i < fields.size(); ++i) {
    FieldRef unused;
    std::string name = fields[i].ends_with("_dump") ? fields[i].substr(0, fields[i].size() - 5) : fields[i];
    if (fields[i] != "count(*)" && !kSchema.Resolve(name, unused))
      return Invalid("fields." + std::to_string(i) + ": unknown field '" + fields[i] + "'");
  }
  std::optional<Query> q;
  if (query) {
    WEFT_ASSIGN(Query compiled, Query::Compile(*query, kSchema, "query", NullEquality::kUnknown));
    q = std::move(compiled);
  }
  std::vector<SortKey> sort;
  if (sort_by) {
    WEFT_ASSIGN(sort, CompileSort(*sort_by, kSchema));
  }
  std::vector<FeedbackRow> rows;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(rows, LoadAll(txn, project));
    return Status::OK();
  }));
  if (q) std::erase_if(rows, [&](const FeedbackRow& r) { return !q->Matches(r); });
  std::stable_sort(rows.begin(), rows.end(), [&](const FeedbackRow& a, const FeedbackRow& b) {
    return CompareRows(a, b, sort) < 0;
  });
  if (count_only) return Json{{"result", {{{"count(*)", rows.size()}}}}};
  Json result = Json::array();
  auto [first, count] = paging.Slice(rows.size());
  for (size_t i = first; i < first + count; ++i) result.push_back(Project(rows[i].json(), fields));
  return Json{{"result", result}};
}

Result<Json> FeedbackPurge(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  const Json& query = f.Any("query");
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(auto ids, PurgeIds(query));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_TRY(DeleteFeedback(txn, project, ids));
    return Status::OK();
  }));
  return Json::object();
}

}  // namespace weft
