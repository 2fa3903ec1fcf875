// weft export: a project's records in dependency order, read with the
// interface's own methods where one exists (objs_query, feedback_query), so
// that every record has the interface's JSON shape; calls are written
// straight from their records (core/calls/call_text.h), a page at a time.
#include "core/api/export.h"

#include <array>
#include <deque>
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

// A call an index names, which must be there.
Result<CallRecord> IndexedCall(Txn& txn, const std::string& project, const std::string& id) {
  WEFT_ASSIGN(auto call, LoadCall(txn, project, id));
  if (!call)
    return StoreError("an index names call " + id + ", which is missing: run weft check --repair");
  return std::move(*call);
}

// The export lines of one page of calls: their text, and where each ends.
struct PageLines {
  std::string text;
  std::vector<size_t> ends;
};

// One page of calls from `from` on (up to kExportPage in start order) as
// export lines, read in a transaction of its own. `next` learns where the
// following page starts ("" after the last) as soon as the index has been
// walked, before the calls are read and written out, so that the next
// page's task can start meanwhile. The store pages mapped so far are let go
// after it once past the budget (memory stays bounded however many calls).
Status ExportPage(Context& ctx, const std::string& project, const std::string& from,
                  std::promise<std::string>& next, PageLines& page) {
  constexpr size_t kExportPage = 1000;
  std::string prefix = keys::CallIndexPrefix(Db::kCallsByStart, project);
  page.text.clear();
  page.ends.clear();
  bool told = false;
  Status st = ctx.store->Read([&](Txn& txn) -> Status {
    std::vector<std::string> ids;
    WEFT_ASSIGN(Cursor c, txn.Open(Db::kCallsByStart));
    bool more = c.Seek(from) && c.key().starts_with(prefix);
    for (; more && ids.size() < kExportPage; more = c.Next() && c.key().starts_with(prefix))
      ids.push_back(keys::DecodeCallIndex(c.key(), prefix.size()).call_id);
    if (c.damaged()) return StoreError("a damaged record in a call index: run weft check");
    next.set_value(more ? std::string(c.key()) : std::string());
    told = true;
    for (const std::string& id : ids) {
      WEFT_ASSIGN(CallRecord call, IndexedCall(txn, project, id));
      page.text += "{\"call\":";
      AppendCallSchemaText(page.text, call, project, true);
      page.text += '}';
      page.ends.push_back(page.text.size());
    }
    txn.ReleaseMappedPages();
    return Status::OK();
  });
  if (!told) next.set_value("");
  return st;
}

// The calls in start order, a page at a time: up to three pages are read
// and written out as text on threads of their own (both cores: formatting
// is most of an export's work) while the pages before them are emitted in
// order. Each page reuses the buffer of the page three before it, whose
// memory is already mapped.
Status ExportCalls(Context& ctx, const std::string& project, const ExportOptions& opts,
                   const RecordSink& emit, bool& going) {
  std::string from = opts.since ? keys::CallIndex(Db::kCallsByStart, project, "", *opts.since, "")
                                : keys::CallIndexPrefix(Db::kCallsByStart, project);
  constexpr size_t kInFlight = 3;  // pages
  std::array<PageLines, kInFlight> buffers;
  std::deque<std::future<Status>> pending;
  for (size_t issued = 0, emitted = 0; !from.empty() || !pending.empty(); ++emitted) {
    for (; !from.empty() && pending.size() < kInFlight; ++issued) {
      std::promise<std::string> next;
      std::future<std::string> start = next.get_future();
      PageLines* page = &buffers[issued % kInFlight];
      pending.push_back(std::async(std::launch::async,
                                   [&ctx, &project, page, from, next = std::move(next)]() mutable {
                                     return ExportPage(ctx, project, from, next, *page);
                                   }));
      from = start.get();
    }
    WEFT_TRY(pending.front().get());
    pending.pop_front();
    const PageLines& page = buffers[emitted % kInFlight];
    size_t begin = 0;
    for (size_t end : page.ends) {
      if (!(going = emit(std::string_view(page.text).substr(begin, end - begin))))
        return Status::OK();
      begin = end;
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
    txn.ReleaseMappedPages();  // push asks a page at a time: its memory stays bounded
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
      WEFT_ASSIGN(CallRecord call, IndexedCall(txn, project, entry.call_id));
      page.calls.push_back(std::move(call));
    }
    if (more) page.next = c.key();
    if (c.damaged()) return StoreError("a damaged record in a call index: run weft check");
    txn.ReleaseMappedPages();  // the page's calls are copies: push's memory stays bounded
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
