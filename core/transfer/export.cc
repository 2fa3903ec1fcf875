// weft export: a project's records in dependency order, read with the
// interface's own methods where one exists (objs_query, feedback_query), so
// that every record has the interface's JSON shape; calls are written
// straight from their records (core/calls/call_text.h), a page at a time.
#include "core/api/export.h"

#include <future>
#include <set>

#include "base/base64.h"
#include "core/calls/call_index.h"
#include "core/calls/call_text.h"
#include "core/costs/prices.h"
#include "core/methods.h"
#include "core/records/records.h"
#include "core/tables.h"
#include "core/transfer/export_parts.h"
#include "store/keys.h"
#include "store/store.h"

namespace weft {
namespace {

Status ExportFiles(Context& ctx, const std::string& project, const RecordSink& emit, bool& going) {
  std::string prefix = keys::ProjectPrefix(project);
  return ctx.store->Read([&](Txn& txn) {
    return txn.ForEach(Db::kFiles, prefix,
                       [&](std::string_view key, std::string_view bytes) -> Result<bool> {
                         return going = emit(FileRecord(project, keys::DigestOf(key), bytes));
                       });
  });
}

Status ExportTables(Context& ctx, const std::string& project, const RecordSink& emit, bool& going) {
  std::string prefix = keys::ProjectPrefix(project);
  return ctx.store->Read([&](Txn& txn) {
    return txn.ForEach(
        Db::kTables, prefix, [&](std::string_view key, std::string_view) -> Result<bool> {
          WEFT_ASSIGN(auto record, TableRecord(txn, project, std::string(keys::DigestOf(key))));
          return !record || (going = emit(CompactDumps(*record)));
        });
  });
}

Status ExportObjects(Context& ctx, const std::string& project, const RecordSink& emit,
                     bool& going) {
  Json req = {{"project_id", project},
              {"sort_by", {{{"field", "created_at"}, {"direction", "asc"}}}}};
  WEFT_ASSIGN(Json res, ObjsQuery(req, ctx));
  for (auto& obj : res["objs"])
    if (!(going = emit(CompactDumps(Json{{"object", std::move(obj)}})))) break;
  return Status::OK();
}

// The project's own prices (cost_create, cost import), as stored.
Status ExportPrices(Context& ctx, const std::string& project, const RecordSink& emit, bool& going) {
  std::vector<Price> prices;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(prices, ProjectPrices(txn, project));
    return Status::OK();
  }));
  for (const Price& p : prices) {
    Json row = p.ToJson();
    row["project_id"] = project;
    if (!(going = emit(CompactDumps(Json{{"price", std::move(row)}})))) break;
  }
  return Status::OK();
}

bool Since(const Json& time, const std::optional<Micros>& since) {
  if (!since) return true;
  auto t = time.is_string() ? ParseTime(time.get<std::string>()) : std::nullopt;
  return t && *t >= *since;
}

// The calls a page at a time, each page read on a thread of its own while
// the one before is written out.
Status ExportCalls(Context& ctx, const std::string& project, const ExportOptions& opts,
                   const RecordSink& emit, bool& going) {
  auto read = [&](std::string from) {
    return std::async(std::launch::async, [&ctx, &project, &opts, from = std::move(from)] {
      return ReadCallsPage(ctx, project, opts.since, from, 1000);
    });
  };
  std::string line;
  for (auto next = read(""); next.valid();) {
    WEFT_ASSIGN(CallsPage page, next.get());
    if (!page.next.empty()) next = read(std::move(page.next));
    for (const CallRecord& c : page.calls) {
      line = "{\"call\":";
      AppendCallSchemaText(line, c, project, true);
      line += '}';
      if (!(going = emit(line))) return Status::OK();
    }
  }
  return Status::OK();
}

Status ExportFeedback(Context& ctx, const std::string& project, const ExportOptions& opts,
                      const RecordSink& emit, bool& going) {
  Json req = {{"project_id", project},
              {"sort_by", {{{"field", "created_at"}, {"direction", "asc"}}}}};
  WEFT_ASSIGN(Json res, FeedbackQuery(req, ctx));
  for (auto& row : res["result"])
    if (Since(row["created_at"], opts.since) &&
        !(going = emit(CompactDumps(Json{{"feedback", std::move(row)}}))))
      break;
  return Status::OK();
}

}  // namespace

std::string FileRecord(const std::string& project, std::string_view digest,
                       std::string_view bytes) {
  return CompactDumps(Json{
      {"file", {{"project_id", project}, {"digest", digest}, {"content", Base64Encode(bytes)}}}});
}

Result<std::optional<Json>> TableRecord(Txn& txn, const std::string& project,
                                        const std::string& digest) {
  WEFT_ASSIGN(auto row_digests, LoadTable(txn, project, digest));
  if (!row_digests) return std::optional<Json>();
  Json rows = Json::array();
  for (const auto& row_digest : *row_digests) {
    WEFT_ASSIGN(auto row, LoadRow(txn, project, row_digest));
    if (!row)
      return StoreError("table " + digest + " names row " + row_digest + ", which is missing");
    rows.push_back(std::move(*row));
  }
  return std::optional<Json>(
      Json{{"table", {{"project_id", project}, {"digest", digest}, {"rows", std::move(rows)}}}});
}

Result<std::vector<std::string>> GoneCalls(Context& ctx, const std::string& project,
                                           const std::vector<std::string>& ids) {
  std::vector<std::string> gone;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    gone.clear();
    for (const auto& id : ids) {
      WEFT_ASSIGN(auto call, LoadCall(txn, project, id));
      if (!call || !call->started() || call->deleted_at) gone.push_back(id);
    }
    return Status::OK();
  }));
  return gone;
}

Json ExportHeader() { return Json{{"weft_export", kExportFormat}}; }

Result<std::vector<std::string>> ListProjects(Context& ctx) {
  std::set<std::string> projects;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    for (Db db : {Db::kFiles, Db::kTables, Db::kObjects, Db::kCalls, Db::kFeedback, Db::kCosts}) {
      WEFT_ASSIGN(Cursor c, txn.Open(db));
      // One seek per project: to just past its keys, which all start
      // "project\0" (project ids hold no control characters).
      for (bool found = c.Seek(""); found;
           found = c.Seek(std::string(keys::ProjectOf(c.key())) + '\x01'))
        projects.emplace(keys::ProjectOf(c.key()));
    }
    return Status::OK();
  }));
  return std::vector<std::string>(projects.begin(), projects.end());
}

Result<CallsPage> ReadCallsPage(Context& ctx, const std::string& project,
                                std::optional<Micros> since, const std::string& from, size_t limit,
                                CallsOrder order) {
  bool by_trace = order == CallsOrder::kByTrace;
  Db index = by_trace ? Db::kCallsByTrace : Db::kCallsByStart;
  std::string prefix =
      by_trace ? keys::ProjectPrefix(project) : keys::CallIndexPrefix(index, project);
  std::string start = !from.empty() ? from
                      : since && !by_trace
                          ? keys::CallIndex(Db::kCallsByStart, project, "", *since, "")
                          : prefix;
  CallsPage page;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    page = CallsPage();
    page.calls.reserve(limit);
    WEFT_ASSIGN(Cursor c, txn.Open(index));
    auto in_range = [&](bool found) { return found && c.key().starts_with(prefix); };
    bool more = in_range(c.Seek(start));
    for (; more && page.calls.size() < limit; more = in_range(c.Next())) {
      keys::CallIndexEntry entry = by_trace ? keys::DecodeCallIndexTail(c.key())
                                            : keys::DecodeCallIndex(c.key(), prefix.size());
      if (since && entry.started_at < *since) continue;  // by trace: the index cannot seek to it
      WEFT_ASSIGN(auto call, LoadCall(txn, project, entry.call_id));
      if (!call)
        return StoreError("an index names call " + entry.call_id +
                          ", which is missing: run weft check --repair");
      page.calls.push_back(std::move(*call));
    }
    if (more) page.next = c.key();
    if (c.damaged()) return StoreError("a damaged record in a call index: run weft check");
    return Status::OK();
  }));
  return page;
}

namespace {

// One project's records in dependency order; calls only when with_calls.
Status ExportProject(Context& ctx, const std::string& project, const ExportOptions& opts,
                     const RecordSink& emit, bool with_calls, bool& going) {
  WEFT_TRY(ExportFiles(ctx, project, emit, going));
  if (going) WEFT_TRY(ExportTables(ctx, project, emit, going));
  if (going) WEFT_TRY(ExportObjects(ctx, project, emit, going));
  if (going && with_calls) WEFT_TRY(ExportCalls(ctx, project, opts, emit, going));
  if (going) WEFT_TRY(ExportFeedback(ctx, project, opts, emit, going));
  if (going) WEFT_TRY(ExportPrices(ctx, project, emit, going));
  return Status::OK();
}

}  // namespace

Status ExportAllButCalls(Context& ctx, const std::string& project, const ExportOptions& opts,
                         const RecordSink& emit) {
  bool going = true;
  return ExportProject(ctx, project, opts, emit, /*with_calls=*/false, going);
}

Status Export(Context& ctx, const ExportOptions& opts, const RecordSink& emit) {
  std::vector<std::string> projects;
  if (opts.project) {
    projects = {*opts.project};
  } else {
    WEFT_ASSIGN(projects, ListProjects(ctx));
  }
  bool going = true;
  for (size_t i = 0; i < projects.size() && going; ++i)
    WEFT_TRY(ExportProject(ctx, projects[i], opts, emit, /*with_calls=*/true, going));
  return Status::OK();
}

}  // namespace weft
