// weft export --trace: one trace and everything it refers to, in export
// records and dependency order (docs/transfer.md#one-trace), so that a trace
// can be attached to a ticket and opened anywhere with weft ui FILE.
#include <set>

#include "core/api/export.h"
#include "core/api/refs.h"
#include "core/calls/call_index.h"
#include "core/calls/call_record.h"
#include "core/calls/call_text.h"
#include "core/methods.h"
#include "core/objects.h"
#include "core/tables.h"
#include "core/transfer/export_parts.h"
#include "store/keys.h"

namespace weft {
namespace {

// Writes the records a trace's values refer to, each after what it refers
// to in turn, once.
class Closure {
 public:
  Closure(Txn& txn, std::string project, std::vector<std::string>& records)
      : txn_(txn), project_(std::move(project)), records_(records) {}

  Status RefsIn(const Json& v) {
    for (const std::string& r : FindRefs(v)) WEFT_TRY(Ref(r));
    return Status::OK();
  }
  const std::set<std::string>& object_refs() const { return object_refs_; }

 private:
  Status Ref(const std::string& uri) {
    auto ref = ParseRef(uri);
    if (!ref.ok() || ref->project_id != project_)
      return Status::OK();  // another project's: left as a ref
    if (ref->kind == "table") return Table(ref->name);
    auto kind = KindNamed(ref->kind);
    if (!kind) return Status::OK();
    if (!seen_.insert(ref->kind + "/" + ref->name + ":" + ref->version).second) return Status::OK();
    WEFT_ASSIGN(auto found, FindObject(txn_, project_, ref->name, ref->version, *kind, true));
    if (!found || found->deleted_at) return Status::OK();
    if (!seen_.insert(ref->kind + "/" + ref->name + ":" + found->digest).second &&
        ref->version != found->digest)
      return Status::OK();
    WEFT_TRY(RefsIn(found->val));
    if (found->val.is_object() && found->val.contains("files") && found->val["files"].is_object())
      for (const auto& digest : found->val["files"])  // an op's source
        if (digest.is_string()) WEFT_TRY(File(digest.get<std::string>()));
    object_refs_.insert(std::string(kRefScheme) + project_ + "/" + ref->kind + "/" + ref->name +
                        ":" + found->digest);
    records_.push_back(CompactDumps(Json{{"object", ObjectSchema(std::move(*found))}}));
    return Status::OK();
  }

  Status Table(const std::string& digest) {
    if (!seen_.insert("table/" + digest).second) return Status::OK();
    WEFT_ASSIGN(auto record, TableRecord(txn_, project_, digest));
    if (!record) return Status::OK();
    WEFT_TRY(RefsIn((*record)["table"]["rows"]));
    records_.push_back(CompactDumps(*record));
    return Status::OK();
  }

  Status File(const std::string& digest) {
    if (!seen_.insert("file/" + digest).second) return Status::OK();
    WEFT_ASSIGN(auto bytes, txn_.Get(Db::kFiles, keys::Digest(project_, digest)));
    if (bytes) records_.push_back(FileRecord(project_, digest, *bytes));
    return Status::OK();
  }

  Txn& txn_;
  std::string project_;
  std::vector<std::string>& records_;
  std::set<std::string> seen_;
  std::set<std::string> object_refs_;  // the object and op versions written, as refs
};

// What a call refers to: its op (an SDK call's, with its source file), and
// the refs in its inputs, output and attributes.
Status RefsOfCall(Closure& closure, const CallRecord& call) {
  WEFT_TRY(closure.RefsIn(Json(call.op_name)));
  for (const std::string* text : {&call.inputs, &call.output, &call.attributes}) {
    if (text->empty()) continue;
    WEFT_ASSIGN(Json v, ParseJson(*text, "stored call"));
    WEFT_TRY(closure.RefsIn(v));
  }
  return Status::OK();
}

}  // namespace

Status ExportTrace(Context& ctx, const std::string& project, const std::string& trace,
                   const RecordSink& emit) {
  WEFT_ASSIGN(Json ids, CallsQuery({{"project_id", project},
                                    {"filter", {{"trace_ids", {trace}}}},
                                    {"columns", {"id"}}},
                                   ctx));
  if (ids["calls"].empty())
    return NotFound("no calls in trace " + trace + " of project " + project);
  std::vector<std::string> records;
  std::set<std::string>
      refs;  // what feedback may be about: the trace's calls and the objects written
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    records.clear();
    Closure closure(txn, project, records);
    std::vector<CallRecord> calls;
    for (const Json& c : ids["calls"]) {
      WEFT_ASSIGN(auto call, LoadCall(txn, project, c["id"].get<std::string>()));
      if (!call) continue;
      WEFT_TRY(RefsOfCall(closure, *call));
      calls.push_back(std::move(*call));
    }
    for (const CallRecord& c : calls) {
      std::string line = "{\"call\":";
      AppendCallSchemaText(line, c, project, true);
      records.push_back(line + "}");
      refs.insert(std::string(kRefScheme) + project + "/call/" + c.id);
    }
    refs.insert(closure.object_refs().begin(), closure.object_refs().end());
    return Status::OK();
  }));
  WEFT_ASSIGN(Json feedback,
              FeedbackQuery({{"project_id", project},
                             {"sort_by", {{{"field", "created_at"}, {"direction", "asc"}}}}},
                            ctx));
  for (auto& row : feedback["result"])
    if (refs.count(row.value("weave_ref", "")))
      records.push_back(CompactDumps(Json{{"feedback", std::move(row)}}));
  for (const std::string& r : records)
    if (!emit(r)) break;
  return Status::OK();
}

}  // namespace weft
