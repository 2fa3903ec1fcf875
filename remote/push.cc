// weft push: export to a spool file, then send from it. Sending from a
// spool keeps no read transaction open while requests wait on the network,
// so that recording what was sent never waits on our own reading.
#include "remote/push.h"

#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "base/base64.h"
#include "core/api/export.h"
#include "core/api/push_calls.h"
#include "core/api/ref_map.h"
#include "core/api/sync_state.h"
#include "remote/client.h"
#include "remote/progress.h"

namespace weft::remote {
namespace {

// Bounds of one /call/upsert_batch (the SDKs send at most 10 MiB).
constexpr size_t kBatchBytes = 4 << 20;
constexpr size_t kBatchCalls = 2000;
// Requests in flight for calls.
constexpr int kSenders = 3;
// Rows per /table/create or /table/update request, by size.
constexpr size_t kTableChunkBytes = 4 << 20;
// Sync-state items read at a time (one read each: memory stays bounded).
constexpr size_t kStatePage = 1000;

using StateItems = std::vector<std::pair<std::string, std::optional<std::string>>>;

// One call's items for upsert_batch, what to record once they are in, and
// a rename (call/update) to send after them.
// The call batches the senders take, at most a few waiting.
class BatchQueue {
 public:
  void Put(std::vector<CallPush> batch) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return waiting_.size() < 2 * kSenders || failed_; });
    waiting_.push_back(std::move(batch));
    ready_.notify_one();
  }
  // nullopt when closed and empty.
  std::optional<std::vector<CallPush>> Take() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !waiting_.empty() || closed_; });
    if (waiting_.empty()) return std::nullopt;
    auto batch = std::move(waiting_.front());
    waiting_.pop_front();
    room_.notify_one();
    return batch;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  // The first failure; the others are dropped.
  void Fail(Error e) {
    std::lock_guard lock(mutex_);
    if (!failed_) error_ = std::move(e);
    failed_ = true;
    room_.notify_all();
  }
  std::optional<Error> error() {
    std::lock_guard lock(mutex_);
    return failed_ ? std::optional<Error>(error_) : std::nullopt;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<std::vector<CallPush>> waiting_;
  bool closed_ = false, failed_ = false;
  Error error_;
};

class Pusher {
 public:
  Pusher(const Job& job, Context& ctx, const ClientOptions& client_opts)
      : job_(job),
        ctx_(ctx),
        client_opts_(client_opts),
        client_(client_opts),
        to_(job.to_project.empty() ? job.project : job.to_project),
        map_(job.project, to_),
        state_(ctx, job.project, job.url, to_),
        progress_(job.dry_run ? "would push" : "pushed") {}

  Status Run();
  Progress& progress() { return progress_; }

 private:
  Status LoadState();
  Status CreateProject();
  Status Send(const Json& record);
  Status SendFile(const Json& file);
  Status SendTable(const Json& table);
  Status SendObject(const Json& obj);
  Status PushCalls();
  Status SendFeedback(const Json& row);
  Status SendPrice(const Json& row);
  Status SendBatch(Client& client, std::span<CallPush> batch);
  void Sender();
  Status DeleteGone();
  // Records items as sent (not in a dry run).
  Status Record(const StateItems& items) { return job_.dry_run ? Status::OK() : state_.Put(items); }

  const Job& job_;
  Context& ctx_;
  ClientOptions client_opts_;
  Client client_;
  std::string to_;
  RefMap map_;
  SyncState state_;
  Progress progress_;
  std::unordered_set<std::string> sent_;  // version keys and file digests the destination has
  BatchQueue queue_;
};

// What the destination already has besides calls (push_calls.cc asks for
// those a page at a time).
Status Pusher::LoadState() {
  for (const std::string prefix : {"ref/", "file/", "project"}) {
    const bool refs = prefix == "ref/";  // kept by their own names, and mapped
    for (std::string after;;) {
      WEFT_ASSIGN(auto page, state_.Page(prefix, after, kStatePage));
      for (auto& [item, value] : page) {
        if (refs) map_.Add(item, value);
        sent_.insert(refs ? item : prefix + item);
      }
      if (page.size() < kStatePage) break;
      after = page.back().first;
    }
  }
  return Status::OK();
}

// Where W&B's API answers for a trace server (docs/transfer.md#push):
// WANDB_BASE_URL when set; for W&B's cloud trace server its API host;
// otherwise the trace server's own origin and path, a /traces suffix cut.
std::string ApiBase(const std::string& trace_server) {
  const char* base = std::getenv("WANDB_BASE_URL");
  std::string url = base && *base ? base : trace_server;
  while (url.ends_with('/')) url.pop_back();
  if (!(base && *base)) {
    size_t host = url.find("://");
    std::string host_part = url.substr(host == std::string::npos ? 0 : host + 3);
    if (host_part == "trace.wandb.ai" || host_part.starts_with("trace.wandb.ai/"))
      return "https://api.wandb.ai";
    if (url.ends_with("/traces")) url.resize(url.size() - 7);
  }
  return url;
}

// The destination project, created with W&B's GraphQL upsertModel at
// ApiBase (docs/transfer.md#push), once per destination.
Status Pusher::CreateProject() {
  if (!job_.create_project || sent_.count("project")) return Status::OK();
  std::string url = ApiBase(job_.url);
  if (job_.dry_run) {
    std::fprintf(stderr, "weft: would create project %s with GraphQL at %s/graphql\n", to_.c_str(),
                 url.c_str());
    return Status::OK();
  }
  size_t slash = to_.find('/');
  Json req = {
      {"query",
       "mutation UpsertModel($name: String!, $entityName: String) { upsertModel(input: {name: "
       "$name, "
       "entityName: $entityName}) { model { name } } }"},
      {"variables", {{"name", to_.substr(slash + 1)}, {"entityName", to_.substr(0, slash)}}}};
  auto reply = client_.PostTo(url + "/graphql", req, "data");
  if (!reply.ok())
    return StoreError("creating project " + to_ +
                      " (give --no-create-project if it exists): " + reply.error().message);
  if (reply->contains("errors") && !(*reply)["errors"].empty())
    return StoreError("creating project " + to_ + " at " + url + ": " + (*reply)["errors"].dump());
  const Json& data = (*reply)["data"];
  if (!data.is_object() || !data.contains("upsertModel") || !data["upsertModel"].is_object())
    return StoreError("creating project " + to_ + " at " + url +
                      ": the GraphQL reply has no upsertModel");
  return Record({{"project", "created"}});
}

Status Pusher::SendFile(const Json& file) {
  std::string digest = file["digest"].get<std::string>();
  if (sent_.count("file/" + digest)) return Status::OK();
  auto bytes = Base64Decode(file["content"].get<std::string>());
  if (!bytes) return StoreError("file " + digest + ": damaged in the spool");
  if (!job_.dry_run) WEFT_TRY(client_.PostFile("/file/create", to_, digest, *bytes));
  progress_.tally().files++;
  progress_.tally().bytes += bytes->size();
  return Record({{"file/" + digest, digest}});
}

Status Pusher::SendTable(const Json& table) {
  std::string key = VersionKey("table", "", table["digest"].get<std::string>());
  if (sent_.count(key)) return Status::OK();
  Json rows = map_.RewriteAll(table["rows"]);
  // The first rows by /table/create, the rest appended in chunks.
  std::string digest;
  size_t i = 0;
  do {
    Json chunk = Json::array();
    size_t bytes = 0;
    for (; i < rows.size() && (chunk.empty() || bytes < kTableChunkBytes); ++i) {
      bytes += CompactDumps(rows[i]).size();
      chunk.push_back(std::move(rows[i]));
    }
    progress_.tally().bytes += bytes;
    if (job_.dry_run) continue;
    Json reply;
    if (digest.empty()) {
      WEFT_ASSIGN(reply,
                  client_.Post("/table/create", {{"table", {{"project_id", to_}, {"rows", chunk}}}},
                               "digest"));
    } else {
      Json updates = Json::array();
      for (auto& row : chunk) updates.push_back({{"append", {{"row", std::move(row)}}}});
      WEFT_ASSIGN(reply,
                  client_.Post("/table/update",
                               {{"project_id", to_}, {"base_digest", digest}, {"updates", updates}},
                               "digest"));
    }
    if (!reply.contains("digest") || !reply["digest"].is_string())
      return StoreError("/table/create: no digest in the reply");
    digest = reply["digest"].get<std::string>();
  } while (i < rows.size());
  std::string remote =
      VersionKey("table", "", job_.dry_run ? table["digest"].get<std::string>() : digest);
  map_.Add(key, remote);
  progress_.tally().tables++;
  return Record({{"ref/" + key, remote}});
}

Status Pusher::SendObject(const Json& obj) {
  std::string kind = obj["kind"].get<std::string>(), name = obj["object_id"].get<std::string>();
  std::string key = VersionKey(kind, name, obj["digest"].get<std::string>());
  if (sent_.count(key)) return Status::OK();
  Json body = {
      {"obj", {{"project_id", to_}, {"object_id", name}, {"val", map_.RewriteAll(obj["val"])}}}};
  progress_.tally().bytes += CompactDumps(body).size();
  std::string digest = obj["digest"].get<std::string>();
  if (!job_.dry_run) {
    WEFT_ASSIGN(Json reply, client_.Post("/obj/create", body, "digest"));
    if (!reply.contains("digest") || !reply["digest"].is_string())
      return StoreError("/obj/create: no digest in the reply");
    digest = reply["digest"].get<std::string>();
  }
  std::string remote = VersionKey(kind, name, digest);
  map_.Add(key, remote);
  progress_.tally().objects++;
  return Record({{"ref/" + key, remote}});
}

// Every call of the project, a page at a time (each page read in a short
// transaction of its own), decided on with one read of their sync state.
Status Pusher::PushCalls() {
  std::string from;
  do {
    WEFT_ASSIGN(CallPushPage page, ReadCallPushPage(ctx_, job_.project, job_.since, from,
                                                    kBatchCalls, state_, map_, to_));
    std::vector<CallPush> batch;
    size_t bytes = 0;
    for (CallPush& e : page.calls) {
      if (!batch.empty() && bytes + e.items.size() > kBatchBytes) {
        queue_.Put(std::move(batch));
        batch.clear();
        bytes = 0;
      }
      bytes += e.items.size();
      batch.push_back(std::move(e));
    }
    if (!batch.empty()) queue_.Put(std::move(batch));
    if (auto e = queue_.error()) return *e;
    progress_.Tick();
    from = std::move(page.next);
  } while (!from.empty());
  return Status::OK();
}

// One upsert_batch, halved and sent again on 413, then its renames, then
// its sync items.
Status Pusher::SendBatch(Client& client, std::span<CallPush> batch) {
  std::string body = "{\"batch\":[";
  bool any = false;
  for (const auto& e : batch) {
    if (e.items.empty()) continue;
    if (any) body += ',';
    body += e.items;
    any = true;
  }
  body += "]}";
  if (!job_.dry_run && any) {
    auto reply = client.PostText("/call/upsert_batch", body, "res");
    if (!reply.ok() && client.status() == 413 && batch.size() > 1) {
      size_t half = batch.size() / 2;
      WEFT_TRY(SendBatch(client, batch.subspan(0, half)));
      return SendBatch(client, batch.subspan(half));
    }
    if (!reply.ok()) return reply.error();
  }
  StateItems done;
  for (const auto& e : batch) {
    if (e.rename && !job_.dry_run) WEFT_TRY(client.Post("/call/update", *e.rename));
    done.emplace_back(e.state_item, e.state_value);
  }
  WEFT_TRY(Record(done));
  progress_.tally().calls += batch.size();
  progress_.tally().bytes += body.size();
  return Status::OK();
}

void Pusher::Sender() {
  Client client(client_opts_);
  while (auto batch = queue_.Take()) {
    if (queue_.error()) continue;  // drain without sending
    Status s = SendBatch(client, *batch);
    if (!s.ok()) queue_.Fail(s.error());
  }
}

Status Pusher::SendFeedback(const Json& row) {
  std::string item = "feedback/" + row["id"].get<std::string>();
  WEFT_ASSIGN(auto state, state_.Get({item}));
  if (state[0]) return Status::OK();
  Json body = map_.RewriteAll(row);
  body["project_id"] = to_;
  for (const char* local_only : {"id", "created_at"}) body.erase(local_only);
  progress_.tally().bytes += CompactDumps(body).size();
  std::string remote_id = row["id"].get<std::string>();
  if (!job_.dry_run) {
    WEFT_ASSIGN(Json reply, client_.Post("/feedback/create", body, "id"));
    if (reply.contains("id") && reply["id"].is_string()) remote_id = reply["id"].get<std::string>();
  }
  progress_.tally().feedback++;
  return Record({{item, remote_id}});
}

// A project price, as cost_create takes it there: Weave's CostCreateInput
// has no cache prices, so those stay here.
Status Pusher::SendPrice(const Json& row) {
  std::string item = "price/" + row["id"].get<std::string>();
  WEFT_ASSIGN(auto state, state_.Get({item}));
  if (state[0]) return Status::OK();
  Json input = Json::object();
  for (const char* field : {"prompt_token_cost", "completion_token_cost", "prompt_token_cost_unit",
                            "completion_token_cost_unit", "effective_date", "provider_id"})
    input[field] = row[field];
  Json body = {{"project_id", to_},
               {"costs", {{row["llm_id"].get<std::string>(), std::move(input)}}}};
  progress_.tally().bytes += CompactDumps(body).size();
  if (!job_.dry_run) WEFT_TRY(client_.Post("/cost/create", body, "ids"));
  return Record({{item, "sent"}});
}

// Calls sent before and since deleted here (or gone) are deleted there.
Status Pusher::DeleteGone() {
  for (std::string after;;) {
    WEFT_ASSIGN(auto page, state_.Page("call/", after, kStatePage));
    std::vector<std::string> ids;
    for (auto& entry : page) ids.push_back(std::move(entry.first));
    WEFT_ASSIGN(auto gone, GoneCalls(ctx_, job_.project, ids));
    if (!gone.empty()) {
      if (!job_.dry_run)
        WEFT_TRY(client_.Post("/calls/delete", {{"project_id", to_}, {"call_ids", gone}}));
      StateItems forget;
      for (const auto& id : gone) forget.emplace_back("call/" + id, std::nullopt);
      WEFT_TRY(Record(forget));
      progress_.tally().deleted += gone.size();
    }
    if (ids.size() < kStatePage) return Status::OK();
    after = ids.back();
  }
}

Status Pusher::Send(const Json& record) {
  const std::string& kind = record.begin().key();
  const Json& body = record.begin().value();
  if (kind == "file") return SendFile(body);
  if (kind == "table") return SendTable(body);
  if (kind == "object") return SendObject(body);
  if (kind == "price") return SendPrice(body);
  return SendFeedback(body);
}

// Calls go from the store a page at a time to the senders; the rest (a
// small part) is spooled first, so that no read transaction stays open
// while a request waits on the network.
Status Pusher::Run() {
  WEFT_TRY(LoadState());
  WEFT_TRY(CreateProject());
  FILE* spool = std::tmpfile();
  if (!spool) return StoreError(std::string("cannot create a spool file: ") + std::strerror(errno));
  bool written = true;
  WEFT_TRY(ExportAllButCalls(
      ctx_, job_.project, ExportOptions{job_.project, job_.since}, [&](std::string_view record) {
        return written = std::fwrite(record.data(), 1, record.size(), spool) == record.size() &&
                         std::fputc('\n', spool) != EOF;
      }));
  if (!written || std::fflush(spool) != 0)
    return StoreError("cannot write the spool file (is the disk full?)");
  std::rewind(spool);
  std::vector<std::thread> senders;
  for (int i = 0; i < kSenders; ++i) senders.emplace_back([this] { Sender(); });
  Status s = Status::OK();
  bool calls_sent = false;
  std::string line;
  char buf[1 << 16];
  while (s.ok() && std::fgets(buf, sizeof buf, spool)) {
    line += buf;
    if (line.back() != '\n') continue;
    auto record = ParseJson(line, "spool");
    line.clear();
    if (!record.ok()) {
      s = record.error();
      break;
    }
    if (!calls_sent && record->contains("feedback")) {  // feedback after the calls it is on
      s = PushCalls();
      calls_sent = true;
    }
    if (s.ok()) s = Send(*record);
    progress_.Tick();
  }
  std::fclose(spool);
  if (s.ok() && !calls_sent) s = PushCalls();
  queue_.Close();
  for (auto& t : senders) t.join();
  if (auto e = queue_.error(); s.ok() && e) s = *e;
  if (s.ok()) s = DeleteGone();
  return s;
}

}  // namespace

Status Push(const Job& job, Context& ctx, const ClientOptions& opts) {
  Pusher pusher(job, ctx, opts);
  return pusher.progress().Finish(pusher.Run());
}

}  // namespace weft::remote
