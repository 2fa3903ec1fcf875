// otel_export (docs/otel.md): OTLP spans stored as Weave's ingest stores
// them, each span a call whose op_name is a ref to a placeholder op (a
// content-addressed op object whose source file says code capture was not
// available, as Weave's op_create makes it), all in one write.
#include "core/api/otel_export.h"

#include <algorithm>
#include <functional>
#include <map>

#include "base/ids.h"
#include "core/api/refs.h"
#include "core/calls/call_index.h"
#include "core/digest.h"
#include "core/fields.h"
#include "core/objects.h"
#include "core/otel/span_call.h"
#include "store/keys.h"
#include "store/store.h"

namespace weft {
namespace {

constexpr size_t kMaxMessages = 20;  // rejected spans named in partial_success

// Weave's object_creation_utils: the op's source file and its value.
constexpr std::string_view kPlaceholderSource =
    "def func(*args, **kwargs):\n    ... # Code-capture unavailable for this op\n";

// make_safe_name, then anything an object name may not hold as '_'.
std::string OpObjectId(const std::string& name) {
  std::string id;
  for (char c : name) {
    if (c == ' ' || c == '/')
      id += '_';
    else if (c != '<' && c != '>')
      id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (char& c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') c = '_';
  return id.empty() ? "Op" : id;
}

// The project of a resource: its wandb.entity and wandb.project, else fallback.
std::string ProjectOf(const OtelAttributes& resource, const std::string& fallback) {
  std::string entity, project;
  for (const auto& [key, value] : resource) {
    if (key == "wandb.entity" && value.is_string()) entity = value;
    if (key == "wandb.project" && value.is_string()) project = value;
  }
  return !entity.empty() && !project.empty() ? entity + "/" + project : fallback;
}

// The calls of one batch and the ops they need, checked before anything is written.
struct Batch {
  std::vector<SpanCall> calls;
  std::map<std::pair<std::string, std::string>, Json> ops;  // (project, object id) → the op's value
  OtelOutcome outcome;

  void Reject(const OtelSpan& s, const std::string& why) {
    Reject(s.name, s.trace_id, s.span_id, why);
  }
  void Reject(const std::string& name, const std::string& trace_id, const std::string& span_id,
              const std::string& why) {
    if (++outcome.rejected <= static_cast<int64_t>(kMaxMessages))
      outcome.message += (outcome.message.empty() ? "" : "; ") +
                         std::string("Rejected span (name='") + name + "' trace_id='" + trace_id +
                         "' span_id='" + span_id + "'): " + why;
    else if (outcome.rejected == static_cast<int64_t>(kMaxMessages) + 1)
      outcome.message += "; ...";
  }
};

// The placeholder op of a span name: its object id and value (the value
// names the source file by digest, so the op's digest is known before it is
// written).
std::pair<std::string, Json> PlaceholderOp(const std::string& name) {
  Json val = {{"_type", "CustomWeaveType"},
              {"weave_type", {{"type", "Op"}}},
              {"files", {{"obj.py", BytesDigest(kPlaceholderSource)}}}};
  return {OpObjectId(name), std::move(val)};
}

}  // namespace

namespace {

// A span as a call of the batch, its placeholder op beside it; the reason
// when it cannot be one.
Status AddSpan(Batch& batch, const OtelSpan& s, const std::string& project,
               const Result<Json>& resource, uint32_t resource_dropped, Context& ctx) {
  if (project.empty())
    return Invalid(
        "no project: give the resource attributes wandb.entity and wandb.project, or a project");
  if (!CheckProjectId(project, "project").ok())
    return Invalid("project '" + project + "' is not entity/project");
  if (!resource.ok()) return Invalid("resource " + resource.error().message);
  WEFT_ASSIGN(SpanCall call, SpanToCall(s, *resource, resource_dropped, project, ctx.user()));
  auto [op_id, op_val] = PlaceholderOp(call.op);
  call.start.call.op_name = FormatRef(Ref{project, "op", op_id, ValueDigest(op_val), {}});
  WEFT_TRY(CheckStart(call.start, "span"));
  batch.ops[{project, op_id}] = std::move(op_val);
  batch.calls.push_back(std::move(call));
  return Status::OK();
}

// Spans whose id has another start stored, with the reason.
using Refused = std::vector<std::pair<const SpanCall*, std::string>>;

// The batch's placeholder ops and calls, in one transaction.
Status WriteBatch(Txn& txn, Batch& batch, Refused& refused) {
  refused.clear();
  for (const auto& [key, val] : batch.ops) {
    WEFT_TRY(txn.Put(Db::kFiles, keys::Digest(key.first, BytesDigest(kPlaceholderSource)),
                     kPlaceholderSource));
    // The digest is ValueDigest(val), which the calls' op refs hold already.
    WEFT_TRY(PutObject(txn, key.first, "op", key.second, val));
  }
  for (SpanCall& call : batch.calls) {
    const CallPart* parts[] = {&call.start, &call.end};
    Status st = ApplyParts(txn, call.start.project, parts);
    if (!st.ok() && !IsInvalid(st.error().kind)) return st;
    if (!st.ok()) refused.emplace_back(&call, st.error().message);
  }
  return Status::OK();
}

}  // namespace

Result<OtelOutcome> ExportSpans(const OtelRequest& request, const std::string& default_project,
                                Context& ctx) {
  Batch batch;
  for (const OtelResourceSpans& rs : request) {
    std::string project = ProjectOf(rs.resource, default_project);
    auto resource = UnflattenAttributes(rs.resource);
    for (const OtelSpan& s : rs.spans) {
      ++batch.outcome.spans;
      if (Status st = AddSpan(batch, s, project, resource, rs.resource_dropped, ctx); !st.ok())
        batch.Reject(s, st.error().message);
    }
  }
  if (batch.calls.empty()) return batch.outcome;
  Refused refused;
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return WriteBatch(txn, batch, refused); }));
  for (const auto& [call, why] : refused)
    batch.Reject(call->op, call->start.call.trace_id, call->start.call.id, why);
  return batch.outcome;
}

namespace {

// Calls each(line, number) for every non-blank line of ctx.input.
Status ForEachInputLine(Context& ctx, const std::function<Status(std::string_view, size_t)>& each) {
  std::string buf;
  size_t number = 0, pos = 0;
  for (bool more = true; more;) {
    buf.erase(0, pos);
    pos = 0;
    size_t have = buf.size();
    buf.resize(have + (1 << 20));
    WEFT_ASSIGN(size_t got, ctx.input(buf.data() + have, buf.size() - have));
    buf.resize(have + got);
    more = got > 0;
    for (size_t nl;
         (nl = buf.find('\n', pos)) != std::string::npos || (!more && pos < buf.size());) {
      if (nl == std::string::npos) nl = buf.size();
      std::string_view line(buf.data() + pos, nl - pos);
      pos = std::min(nl + 1, buf.size());
      ++number;
      if (line.find_first_not_of(" \t\r") != std::string_view::npos) WEFT_TRY(each(line, number));
    }
  }
  return Status::OK();
}

void Add(OtelOutcome& total, const OtelOutcome& more) {
  total.spans += more.spans;
  total.rejected += more.rejected;
  if (!more.message.empty()) total.message += (total.message.empty() ? "" : "; ") + more.message;
}

}  // namespace

Result<Json> OtelExport(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings, Extra::kIgnore);  // OtelExportReq is not strict
  std::optional<std::string> project = f.OptStr("project_id");
  const Json* traces = f.OptDict("traces");
  if (f.ok() && !traces && !ctx.input) f.Fail("traces", "field required");
  f.Accept({"wb_run_id", "wb_user_id"});
  WEFT_TRY(f.Finish());
  if (project) WEFT_TRY(CheckProjectId(*project, "project_id"));
  OtelOutcome total;
  if (traces) {
    WEFT_ASSIGN(OtelRequest request, DecodeOtlpJson(*traces));
    WEFT_ASSIGN(total, ExportSpans(request, project.value_or(""), ctx));
  } else {
    WEFT_TRY(ForEachInputLine(ctx, [&](std::string_view line, size_t number) -> Status {
      std::string where = "line " + std::to_string(number);
      WEFT_ASSIGN(Json parsed, ParseJson(line, where));
      auto request = DecodeOtlpJson(parsed);
      if (!request.ok()) return Invalid(where + ": " + request.error().message);
      WEFT_ASSIGN(OtelOutcome outcome, ExportSpans(*request, project.value_or(""), ctx));
      Add(total, outcome);
      return Status::OK();
    }));
  }
  Json partial = total.rejected == 0
                     ? Json(nullptr)
                     : Json{{"rejected_spans", total.rejected}, {"error_message", total.message}};
  return Json{{"partial_success", partial}, {"spans", total.spans}};
}

}  // namespace weft
