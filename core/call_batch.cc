// Bulk ingest: call_upsert_batch (Weave's /call/upsert_batch body) and
// calls_import (the same items as NDJSON, one per line). Every item is
// validated before anything is written, and all of them are written in one
// transaction: a bad item leaves the store as it was.
#include "core/calls.h"
#include "core/methods.h"

namespace weft {
namespace {

struct Part {
  bool start;
  std::string project;
  CallRecord call;
};

// One item: {"mode": "start"|"end", "req": {"start"|"end": ...}}; a bare
// CallStartReq or CallEndReq is accepted too.
Result<Part> ReadItem(const Json& item, Context& ctx) {
  const Json* req = &item;
  std::string path;
  bool start;
  if (item.is_object() && item.contains("mode")) {
    Fields f(item, "", &ctx.warnings);
    std::string mode = f.Str("mode");
    f.Dict("req");
    WEFT_TRY(f.Finish());
    if (mode != "start" && mode != "end") return Invalid("mode: expected 'start' or 'end', got '" + mode + "'");
    start = mode == "start";
    req = &item["req"];
    path = "req";
  } else if (item.is_object() && (item.contains("start") || item.contains("end"))) {
    start = item.contains("start");
  } else {
    return Invalid("expected {\"mode\": \"start\"|\"end\", \"req\": {...}}");
  }
  Fields f(*req, path, &ctx.warnings);
  WEFT_ASSIGN(auto part, start ? ReadStart(f, ctx) : ReadEnd(f));
  WEFT_TRY(f.Finish());
  return Part{start, std::move(part.first), std::move(part.second)};
}

// ReadItem with `where` ("line 7", "batch.3") in front of its messages.
Result<Part> ReadItemAt(const Json& item, Context& ctx, const std::string& where) {
  auto part = ReadItem(item, ctx);
  if (!part.ok()) return Error{part.error().kind, where + ": " + part.error().message};
  return part;
}

Status Apply(Txn& txn, const std::vector<Part>& parts) {
  for (const Part& p : parts)
    WEFT_TRY(p.start ? ApplyStart(txn, p.project, p.call) : ApplyEnd(txn, p.project, p.call));
  return Status::OK();
}

Json Response(const Part& p) {
  return p.start ? Json{{"id", p.call.id}, {"trace_id", p.call.trace_id}} : Json::object();
}

}  // namespace

Result<Json> CallUpsertBatch(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  const Json* batch = f.OptList("batch");
  if (!batch && f.ok()) f.Fail("batch", "field required");
  WEFT_TRY(f.Finish());
  std::vector<Part> parts;
  for (size_t i = 0; i < batch->size(); ++i) {
    WEFT_ASSIGN(Part p, ReadItemAt((*batch)[i], ctx, "batch." + std::to_string(i)));
    parts.push_back(std::move(p));
  }
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return Apply(txn, parts); }));
  Json res = Json::array();
  for (const Part& p : parts) res.push_back(Response(p));
  return Json{{"res", res}};
}

Result<Json> CallsImport(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  const Json& input = f.Any("ndjson");
  if (f.ok() && !input.is_binary() && !input.is_string()) f.Fail("ndjson", "expected NDJSON text");
  WEFT_TRY(f.Finish());
  std::string_view text;
  if (input.is_binary())
    text = std::string_view(reinterpret_cast<const char*>(input.get_binary().data()), input.get_binary().size());
  else
    text = input.get_ref<const std::string&>();
  std::vector<Part> parts;
  size_t line_no = 0, starts = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string where = "line " + std::to_string(line_no);
    WEFT_ASSIGN(Json item, ParseJson(line, where));
    WEFT_ASSIGN(Part p, ReadItemAt(item, ctx, where));
    starts += p.start;
    parts.push_back(std::move(p));
  }
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return Apply(txn, parts); }));
  return Json{{"imported", parts.size()}, {"starts", starts}, {"ends", parts.size() - starts}};
}

}  // namespace weft
