// call_start, call_end, call_update, calls_delete and call_read (docs/semantics.md#calls): each
// merges its part into the stored call record.
#include "core/calls/calls.h"

#include <set>
#include <unordered_map>

#include "base/ids.h"
#include "base/utf8.h"
#include "core/api/refs.h"
#include "core/calls/call_index.h"
#include "core/costs/prices.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/records/records.h"
#include "store/keys.h"

namespace weft {
namespace {

constexpr size_t kMaxDelete = 100;

Status CheckOpName(const std::string& op, const std::string& field) {
  if (op.starts_with(kRefScheme)) {
    auto ref = ParseRef(op);
    if (!ref.ok() || ref->kind != "op")
      return Invalid(field + ": op_name is not a valid op ref: '" + op + "'");
    return Status::OK();
  }
  if (op.empty() || op.size() >= 128) return Invalid(field + ": op_name must be 1-127 characters");
  if (HasControl(op)) return Invalid(field + ": op_name holds a control character");
  return Status::OK();
}

Status CheckOptionalId(const std::optional<std::string>& id, const std::string& field) {
  return id ? CheckClientId(*id, field) : Status::OK();
}

// Reads the optional fields of a start or end model (start: which).
void ReadOptionalFields(Fields& model, CallRecord& c, bool start) {
  ForEachField(c, [&](const CallFieldInfo& f, auto& v) {
    if (!f.in(start) || !f.optional()) return;
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      v = model.OptStr(f.name);
    } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
      v = model.OptInt(f.name);
    } else if constexpr (std::is_same_v<T, std::string>) {
      const Json* dump = model.OptDict(f.name);
      v = dump ? CompactDumps(*dump) : "";
    }
  });
}

}  // namespace

std::string UserOf(const std::optional<std::string>& given, const Context& ctx) {
  return given && !given->empty() ? *given : ctx.user();
}

Status CheckStart(const CallPart& p, const std::string& at) {
  const CallRecord& c = p.call;
  WEFT_TRY(CheckProjectId(p.project, at + ".project_id"));
  WEFT_TRY(CheckClientId(c.id, at + ".id"));
  WEFT_TRY(CheckClientId(c.trace_id, at + ".trace_id"));
  WEFT_TRY(CheckOptionalId(c.parent_id, at + ".parent_id"));
  WEFT_TRY(CheckOpName(c.op_name, at + ".op_name"));
  if (c.display_name && c.display_name->size() >= 1024)
    return Invalid(at + ".display_name: longer than 1023 characters");
  if (c.display_name && c.display_name->find('\0') != std::string::npos)
    return Invalid(at + ".display_name: holds a NUL character");
  return Status::OK();
}

Status CheckEnd(const CallPart& p, const std::string& at) {
  WEFT_TRY(CheckProjectId(p.project, at + ".project_id"));
  return CheckClientId(p.call.id, at + ".id");
}

bool SameStart(const CallRecord& stored, const CallRecord& start) {
  bool same = true;
  ForEachField(stored, [&](const CallFieldInfo& f, const auto& v) {
    if (!(f.flags & kIdentity)) return;
    VisitField(start, static_cast<int>(&f - kCallFields), [&](const CallFieldInfo&, const auto& w) {
      if constexpr (std::is_same_v<decltype(v), decltype(w)>) same &= v == w;
    });
  });
  return same;
}

namespace {

// A field's value from a part, when the part carries it: a field either
// part may give (display_name: the TypeScript SDK names calls in their end)
// only when given.
template <typename T>
void Take(T& v, const T& given, FieldPart part) {
  if constexpr (requires { given.has_value(); })
    if (part == FieldPart::kEither && !given) return;
  v = given;
}
template <typename T, typename U>
void Take(T&, const U&, FieldPart) {}  // VisitField's other types: never the same field

}  // namespace

void MergePart(CallRecord& into, const CallPart& part) {
  const FieldPart carried = part.start ? FieldPart::kStart : FieldPart::kEnd;
  ForEachField(into, [&](const CallFieldInfo& f, auto& v) {
    if (f.part != FieldPart::kKey && f.part != carried && f.part != FieldPart::kEither) return;
    VisitField(part.call, static_cast<int>(&f - kCallFields),
               [&](const CallFieldInfo&, const auto& given) { Take(v, given, f.part); });
  });
}

namespace {

// Merges parts, in order, into merged (the stored call, or nothing);
// answers the start it refuses, if any: one for a call that has started
// with another start.
const CallPart* MergeParts(CallRecord& merged, std::span<const CallPart* const> parts) {
  for (const CallPart* p : parts) {
    if (p->start && merged.started()) {
      if (SameStart(merged, p->call)) continue;  // a batch sent again after its answer was lost
      return p;
    }
    MergePart(merged, *p);
  }
  return nullptr;
}

}  // namespace

std::optional<NewCallWrite> PrepareParts(const std::string& project,
                                         std::span<const CallPart* const> parts) {
  CallRecord merged;
  if (MergeParts(merged, parts)) return std::nullopt;
  return PrepareNewCall(project, merged, kFormatVersion);
}

Status ApplyParts(Txn& txn, const std::string& project, std::span<const CallPart* const> parts,
                  const PartName& where, const NewCallWrite* prepared) {
  const std::string& id = parts.front()->call.id;
  WEFT_ASSIGN(auto existing, LoadCall(txn, project, id));
  if (!existing && prepared && prepared->format == txn.format()) return SaveNewCall(txn, *prepared);
  CallRecord merged = existing ? *existing : CallRecord{};
  if (const CallPart* refused = MergeParts(merged, parts))
    return Invalid((where ? where(*refused) : "") + "start.id: call " + id +
                   " has already started");
  return SaveCall(txn, project, existing, merged);
}

Result<CallOutcome> ReplaceCall(Txn& txn, const std::string& project,
                                std::span<const CallPart* const> parts, bool replace) {
  WEFT_ASSIGN(auto existing, LoadCall(txn, project, parts.front()->call.id));
  CallRecord merged;
  for (const CallPart* p : parts) MergePart(merged, *p);
  if (existing && EncodeCall(*existing) == EncodeCall(merged)) return CallOutcome::kUnchanged;
  if (existing && !replace) return CallOutcome::kKept;
  WEFT_TRY(SaveCall(txn, project, existing, merged));
  return existing ? CallOutcome::kReplaced : CallOutcome::kNew;
}

std::pair<Json, std::optional<Json>> StartEndOf(const Json& call) {
  auto part = [&](bool start) {
    Json model = {{"project_id", call.value("project_id", Json(nullptr))}};
    for (const CallFieldInfo& f : kCallFields) {
      auto it = call.find(f.name);
      if (f.in(start) && it != call.end() && !(f.optional() && it->is_null())) model[f.name] = *it;
    }
    return model;
  };
  std::optional<Json> end;
  if (call.contains("ended_at") && !call["ended_at"].is_null()) {
    end = part(false);
    DropDerived((*end)["summary"]);  // the store's to compute
  }
  return {part(true), std::move(end)};
}

Result<std::vector<CallPart>> ReadCallSchema(const Json& call, Context& ctx,
                                             const std::string& where) {
  if (!call.is_object()) return Invalid(where + ": expected a call (a JSON object)");
  auto [start, end] = StartEndOf(call);
  std::vector<CallPart> parts;
  Json start_req = {{"start", std::move(start)}};
  Fields f(start_req, where, &ctx.warnings);
  WEFT_ASSIGN(CallPart p, ReadStart(f, ctx));
  WEFT_TRY(f.Finish());
  parts.push_back(std::move(p));
  if (end) {
    Json end_req = {{"end", std::move(*end)}};
    Fields e(end_req, where, &ctx.warnings);
    WEFT_ASSIGN(CallPart q, ReadEnd(e));
    WEFT_TRY(e.Finish());
    parts.push_back(std::move(q));
  }
  return parts;
}

Result<CallPart> ReadStart(Fields& f, Context& ctx) {
  Fields s = f.Sub("start");
  CallPart p{true, s.ProjectId(), {}};
  CallRecord& c = p.call;
  c.id = s.OptStr("id").value_or(NewId());
  c.op_name = s.Str("op_name");
  c.trace_id = s.OptStr("trace_id").value_or(NewId());
  c.started_at = s.Time("started_at");
  const Json& attributes = s.Dict("attributes");
  const Json& inputs = s.Dict("inputs");
  ReadOptionalFields(s, c, true);
  c.wb_user_id = UserOf(c.wb_user_id, ctx);
  WEFT_TRY(s.Finish());
  WEFT_TRY(CheckStart(p, s.path()));
  c.attributes = CompactDumps(attributes);
  c.inputs = CompactDumps(inputs);
  c.input_refs = FindRefs(inputs);
  return p;
}

Result<CallPart> ReadEnd(Fields& f) {
  Fields e = f.Sub("end");
  CallPart p{false, e.ProjectId(), {}};
  CallRecord& c = p.call;
  c.id = e.Str("id");
  c.ended_at = e.Time("ended_at");
  const Json* output = e.OptAny("output");
  const Json& summary = e.Dict("summary");
  ReadOptionalFields(e, c, false);
  c.display_name =
      e.OptStr("display_name");  // not in Weave's model: the TypeScript SDK's setDisplayName
  WEFT_TRY(e.Finish());
  WEFT_TRY(CheckEnd(p, e.path()));
  c.output = output ? CompactDumps(*output) : "null";
  c.summary = CompactDumps(summary);
  if (output) c.output_refs = FindRefs(*output);
  return p;
}

Result<Json> CallStart(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  WEFT_ASSIGN(CallPart start, ReadStart(f, ctx));
  WEFT_TRY(f.Finish());
  const CallPart* parts[] = {&start};
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return ApplyParts(txn, start.project, parts); }));
  return Json{{"id", start.call.id}, {"trace_id", start.call.trace_id}};
}

Result<Json> CallEnd(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  WEFT_ASSIGN(CallPart end, ReadEnd(f));
  WEFT_TRY(f.Finish());
  const CallPart* parts[] = {&end};
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return ApplyParts(txn, end.project, parts); }));
  return Json::object();
}

Result<Json> CallUpdate(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string id = f.Str("call_id");
  auto display_name = f.OptStr("display_name");
  f.OptStr("wb_user_id");
  if (!display_name && f.ok())
    f.Reject("display_name", "one of [display_name] is required for call update");
  WEFT_TRY(f.Finish());
  WEFT_TRY(CheckClientId(id, "call_id"));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto existing, LoadCall(txn, project, id));
    CallRecord updated = existing ? *existing : CallRecord{};
    updated.id = id;
    updated.display_name = display_name;
    return SaveCall(txn, project, existing, updated);
  }));
  return Json::object();
}

namespace {

// The live calls of the given calls' traces, by parent id.
Result<std::unordered_multimap<std::string, std::string>> ChildrenInTraces(
    Txn& txn, const std::string& project, const std::vector<std::string>& ids) {
  std::set<std::string> traces;
  for (const auto& id : ids) {
    WEFT_ASSIGN(auto call, LoadCall(txn, project, id));
    if (call && call->started() && !call->deleted_at) traces.insert(call->trace_id);
  }
  std::unordered_multimap<std::string, std::string> children;
  for (const auto& trace : traces) {
    std::string prefix = keys::CallIndexPrefix(Db::kCallsByTrace, project, trace);
    std::vector<std::string> in_trace;
    WEFT_TRY(txn.ForEach(Db::kCallsByTrace, prefix, [&](std::string_view key, std::string_view) {
      in_trace.push_back(keys::DecodeCallIndex(key, prefix.size()).call_id);
      return true;
    }));
    for (const auto& id : in_trace) {
      WEFT_ASSIGN(auto call, LoadCall(txn, project, id));
      if (call && call->parent_id) children.emplace(*call->parent_id, id);
    }
  }
  return children;
}

// The given ids (whether or not they exist, as Weave counts them) and their descendants.
std::set<std::string> Descendants(
    const std::vector<std::string>& ids,
    const std::unordered_multimap<std::string, std::string>& children) {
  std::set<std::string> doomed;
  std::vector<std::string> todo = ids;
  while (!todo.empty()) {
    std::string id = std::move(todo.back());
    todo.pop_back();
    if (!doomed.insert(id).second) continue;
    auto [begin, end] = children.equal_range(id);
    for (auto it = begin; it != end; ++it) todo.push_back(it->second);
  }
  return doomed;
}

// Marks the calls deleted at now; deleted counts the ids, as Weave answers.
Status MarkDeleted(Txn& txn, const std::string& project, const std::set<std::string>& doomed,
                   Micros now, size_t& deleted) {
  deleted = doomed.size();
  for (const auto& id : doomed) {
    WEFT_ASSIGN(auto call, LoadCall(txn, project, id));
    if (!call || call->deleted_at) continue;
    CallRecord marked = *call;
    marked.deleted_at = now;
    WEFT_TRY(SaveCall(txn, project, call, marked));
  }
  return Status::OK();
}

}  // namespace

Result<Json> CallsDelete(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::vector<std::string> ids = f.StrList("call_ids");
  f.OptStr("wb_user_id");
  WEFT_TRY(f.Finish());
  if (ids.size() > kMaxDelete)
    return TooLarge("call_ids: cannot delete more than 100 calls at once (got " +
                    std::to_string(ids.size()) + ")");
  Micros now = NowMicros();
  size_t deleted = 0;
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto children, ChildrenInTraces(txn, project, ids));
    return MarkDeleted(txn, project, Descendants(ids, children), now, deleted);
  }));
  return Json{{"num_deleted", deleted}};
}

// A calls_query of one id, so a call reads the same either way.
Result<Json> CallRead(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string id = f.Str("id");
  Json q = {{"project_id", project}, {"filter", {{"call_ids", {id}}}}, {"limit", 1}};
  for (const char* flag : {"include_costs", "include_storage_size", "include_total_storage_size"})
    q[flag] = f.OptBool(flag).value_or(false);
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(Json found, CallsQuery(q, ctx));
  return Json{{"call", found["calls"].empty() ? Json(nullptr) : std::move(found["calls"][0])}};
}

}  // namespace weft
