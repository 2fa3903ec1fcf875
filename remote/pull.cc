// weft pull: calls by calls/stream_query, then what they refer to, depth
// first so that a record is loaded after everything it refers to.
#include "remote/pull.h"

#include <cstdio>
#include <unordered_set>

#include "base/base64.h"
#include "base/report.h"
#include "core/api/load.h"
#include "core/api/ref_map.h"
#include "core/api/refs.h"
#include "remote/client.h"
#include "remote/progress.h"

namespace weft::remote {
namespace {

// How deep refs inside refs are followed.
constexpr int kMaxRefDepth = 64;
constexpr int kPage = 1000;

class Puller {
 public:
  Puller(const Job& job, Context& ctx, const ClientOptions& opts)
      : job_(job),
        client_(opts),
        to_(job.to_project.empty() ? job.project : job.to_project),
        loader_(ctx, {to_, job.replace}),
        progress_("pulled") {}

  Status Run();
  Progress& progress() { return progress_; }

 private:
  Result<std::vector<Json>> QueryCalls();
  Status FetchRefsIn(const Json& v, int depth);
  Status Fetch(const std::string& ref, int depth);
  Status FetchObject(const Ref& ref, const std::string& key, int depth);
  Status LoadObject(Json obj, int depth);
  Status PullAllObjects();
  Status FetchTable(const std::string& digest, int depth);
  Status FetchFile(const std::string& digest);
  Status PullFeedback(const std::unordered_set<std::string>& call_ids);
  Status Load(const char* kind, Json body);
  // The loader's counts into the progress line.
  void Count();

  const Job& job_;
  Client client_;
  std::string to_;
  Loader loader_;
  Progress progress_;
  std::unordered_set<std::string> seen_;  // version keys and file digests fetched
};

Status Puller::Load(const char* kind, Json body) {
  WEFT_TRY(loader_.Add(Json{{kind, std::move(body)}}, std::string("the server's ") + kind));
  Count();
  progress_.Tick();
  return Status::OK();
}

void Puller::Count() {
  const LoadCounts& c = loader_.counts();
  Tally& t = progress_.tally();
  t.files = c.files, t.tables = c.tables, t.objects = c.objects, t.calls = c.calls,
  t.feedback = c.feedback;
  t.calls_unchanged = c.calls_unchanged, t.calls_replaced = c.calls_replaced,
  t.calls_kept = c.calls_kept;
}

Result<std::vector<Json>> Puller::QueryCalls() {
  Json req = {{"project_id", job_.project},
              {"sort_by", {{{"field", "started_at"}, {"direction", "asc"}}}}};
  Json filter = Json::object();
  if (!job_.trace_ids.empty()) filter["trace_ids"] = job_.trace_ids;
  for (const auto& op : job_.op_names)  // a bare name means every version of the op
    filter["op_names"].push_back(op.starts_with(kRefScheme)
                                     ? op
                                     : std::string(kRefScheme) + job_.project + "/op/" + op + ":*");
  if (!filter.empty()) req["filter"] = filter;
  if (job_.since)
    req["query"] = {
        {"$expr",
         {{"$gte", {{{"$getField", "started_at"}}, {{"$literal", FormatTime(*job_.since)}}}}}}};
  if (job_.limit > 0) req["limit"] = job_.limit;
  WEFT_ASSIGN(std::vector<Json> calls, client_.PostForLines("/calls/stream_query", req));
  for (const Json& call : calls)
    if (!call.contains("id")) return StoreError("/calls/stream_query: a line is not a call");
  return calls;
}

// Every ref into the pulled project inside v (iteratively: values may nest deep).
Status Puller::FetchRefsIn(const Json& v, int depth) {
  std::vector<const Json*> todo = {&v};
  while (!todo.empty()) {
    const Json* at = todo.back();
    todo.pop_back();
    if (at->is_string()) {
      if (at->get_ref<const std::string&>().starts_with(kRefScheme))
        WEFT_TRY(Fetch(at->get<std::string>(), depth));
    } else if (at->is_structured()) {
      for (const auto& item : *at) todo.push_back(&item);
    }
  }
  return Status::OK();
}

Status Puller::Fetch(const std::string& uri, int depth) {
  auto ref = ParseRef(uri);
  if (!ref.ok() || ref->project_id != job_.project) return Status::OK();  // not ours to copy
  if (depth > kMaxRefDepth)
    return StoreError("refs nest more than " + std::to_string(kMaxRefDepth) + " deep at " + uri);
  if (ref->kind == "table") return FetchTable(ref->name, depth);
  if (ref->kind != "object" && ref->kind != "op") return Status::OK();  // calls come by query
  std::string key = VersionKey(ref->kind, ref->name, ref->version);
  if (!seen_.insert(key).second) return Status::OK();
  return FetchObject(*ref, key, depth);
}

Status Puller::FetchObject(const Ref& ref, const std::string& key, int depth) {
  auto reply = client_.Post(
      "/obj/read", {{"project_id", job_.project}, {"object_id", ref.name}, {"digest", ref.version}},
      "obj");
  if (!reply.ok() && client_.status() == 404) {
    Warn(key + " is not on the server; refs to it stay unresolved");
    return Status::OK();
  }
  if (!reply.ok()) return reply.error();
  if (!(*reply)["obj"].is_object()) return StoreError("/obj/read: no obj in the reply");
  Json obj = std::move((*reply)["obj"]);
  bool by_digest = ref.version != "latest" &&
                   !(ref.version.size() > 1 && ref.version[0] == 'v' &&
                     ref.version.find_first_not_of("0123456789", 1) == std::string::npos);
  if (by_digest && obj.value("digest", "") != ref.version)
    return StoreError("/obj/read: asked for " + key + ", the server answered another version");
  return LoadObject(std::move(obj), depth);
}

// An object version the server answered, after what it refers to.
Status Puller::LoadObject(Json obj, int depth) {
  WEFT_TRY(FetchRefsIn(obj["val"], depth + 1));
  if (obj["val"].is_object() && obj["val"].contains("files") && obj["val"]["files"].is_object())
    for (const auto& digest : obj["val"]["files"])  // an op's source
      if (digest.is_string()) WEFT_TRY(FetchFile(digest.get<std::string>()));
  return Load("object", std::move(obj));
}

Status Puller::FetchTable(const std::string& digest, int depth) {
  if (!seen_.insert(VersionKey("table", "", digest)).second) return Status::OK();
  Json rows = Json::array();
  for (int offset = 0;; offset += kPage) {
    WEFT_ASSIGN(Json reply, client_.Post("/table/query",
                                         {{"project_id", job_.project},
                                          {"digest", digest},
                                          {"limit", kPage},
                                          {"offset", offset}},
                                         "rows"));
    if (!reply.contains("rows") || !reply["rows"].is_array())
      return StoreError("/table/query: no rows in the reply");
    for (auto& row : reply["rows"]) rows.push_back(std::move(row["val"]));
    if (reply["rows"].size() < static_cast<size_t>(kPage)) break;
  }
  WEFT_TRY(FetchRefsIn(rows, depth + 1));
  return Load("table",
              {{"project_id", job_.project}, {"digest", digest}, {"rows", std::move(rows)}});
}

Status Puller::FetchFile(const std::string& digest) {
  if (!seen_.insert("file/" + digest).second) return Status::OK();
  WEFT_ASSIGN(
      std::string bytes,
      client_.PostForBytes("/file/content", {{"project_id", job_.project}, {"digest", digest}}));
  progress_.tally().bytes += bytes.size();
  return Load("file",
              {{"project_id", job_.project}, {"digest", digest}, {"content", Base64Encode(bytes)}});
}

// pull --all: every object and op version of the project, oldest first.
Status Puller::PullAllObjects() {
  for (int offset = 0;; offset += kPage) {
    WEFT_ASSIGN(Json reply,
                client_.Post("/objs/query",
                             {{"project_id", job_.project},
                              {"limit", kPage},
                              {"offset", offset},
                              {"sort_by", {{{"field", "created_at"}, {"direction", "asc"}}}}},
                             "objs"));
    if (!reply.contains("objs") || !reply["objs"].is_array())
      return StoreError("/objs/query: no objs in the reply");
    for (auto& obj : reply["objs"]) {
      if (!obj.is_object() || !obj["object_id"].is_string() || !obj["digest"].is_string())
        return StoreError("/objs/query: an answered object has no object_id or digest");
      std::string key = VersionKey(obj.value("kind", "object"), obj["object_id"].get<std::string>(),
                                   obj["digest"].get<std::string>());
      if (seen_.insert(key).second) WEFT_TRY(LoadObject(std::move(obj), 0));
    }
    if (reply["objs"].size() < static_cast<size_t>(kPage)) break;
  }
  return Status::OK();
}

// The feedback on the pulled calls and objects (all of it with --all).
Status Puller::PullFeedback(const std::unordered_set<std::string>& call_ids) {
  std::string calls_prefix = std::string(kRefScheme) + job_.project + "/call/";
  for (int offset = 0;; offset += kPage) {
    WEFT_ASSIGN(Json reply,
                client_.Post("/feedback/query",
                             {{"project_id", job_.project}, {"limit", kPage}, {"offset", offset}},
                             "result"));
    if (!reply.contains("result") || !reply["result"].is_array())
      return StoreError("/feedback/query: no result in the reply");
    for (auto& row : reply["result"]) {
      std::string ref = row.value("weave_ref", "");
      auto parsed = ParseRef(ref);
      bool ours = ref.starts_with(calls_prefix)
                      ? call_ids.count(ref.substr(calls_prefix.size())) > 0
                      : parsed.ok() && seen_.count(VersionKey(parsed->kind, parsed->name,
                                                              parsed->version)) > 0;
      if (ours || job_.all) WEFT_TRY(Load("feedback", std::move(row)));
    }
    if (reply["result"].size() < static_cast<size_t>(kPage)) break;
  }
  return Status::OK();
}

Status Puller::Run() {
  if (job_.all) WEFT_TRY(PullAllObjects());
  WEFT_ASSIGN(std::vector<Json> calls, QueryCalls());
  std::unordered_set<std::string> call_ids;
  for (const auto& call : calls) {
    WEFT_TRY(FetchRefsIn(call, 0));
    call_ids.insert(call["id"].get<std::string>());
  }
  for (auto& call : calls) WEFT_TRY(Load("call", std::move(call)));
  WEFT_TRY(PullFeedback(call_ids));
  WEFT_TRY(loader_.Flush());
  Count();
  return Status::OK();
}

}  // namespace

Status Pull(const Job& job, Context& ctx, const ClientOptions& opts) {
  Puller puller(job, ctx, opts);
  return puller.progress().Finish(puller.Run());
}

}  // namespace weft::remote
