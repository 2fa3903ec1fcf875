// Loading export records into the store (docs/transfer.md#import).
#include "core/api/load.h"

#include "base/base64.h"
#include "base/grouped.h"
#include "core/calls/calls.h"
#include "core/calls/fast_item.h"
#include "core/costs/prices.h"
#include "core/digest.h"
#include "core/feedback.h"
#include "core/methods.h"
#include "core/objects.h"
#include "store/store.h"

namespace weft {
namespace {

// Calls and feedback rows written per transaction.
constexpr size_t kBatch = 10000;

// The body of a record of a kind, checked to be an object with a project.
Result<const Json*> Body(const Json& record, const std::string& where) {
  if (!record.is_object() || record.size() != 1)
    return Invalid(where +
                   ": expected one record, "
                   "{\"file\"|\"table\"|\"object\"|\"call\"|\"feedback\"|\"price\": {...}}");
  const Json& body = record.begin().value();
  if (!body.is_object() || !body.contains("project_id") || !body["project_id"].is_string())
    return Invalid(where + ": " + record.begin().key() + ".project_id: expected a string");
  return &body;
}

// msg with `where: ` in front.
Error At(const std::string& where, const Error& e) {
  return Error{e.kind, where + ": " + e.message};
}

}  // namespace

std::string DescribeCounts(const LoadCounts& c) {
  std::string calls = Grouped(c.calls) + " calls";
  if (c.calls_unchanged || c.calls_replaced || c.calls_kept) {
    calls += " (" + Grouped(c.calls_new) + " new, " + Grouped(c.calls_unchanged) + " unchanged";
    if (c.calls_replaced) calls += ", " + Grouped(c.calls_replaced) + " replaced";
    calls += ")";
  }
  std::string out = calls + ", " + Grouped(c.objects) + " objects, " + Grouped(c.tables) +
                    " tables, " + Grouped(c.files) + " files, " + Grouped(c.feedback) + " feedback";
  if (c.prices) out += ", " + Grouped(c.prices) + " prices";
  if (c.calls_kept)
    out += "; " + Grouped(c.calls_kept) +
           " calls kept as the store has them (they differ: --replace takes the new ones)";
  return out;
}

RefMap& Loader::MapFor(const std::string& project) {
  auto found = maps_.find(project);
  if (found != maps_.end()) return found->second;
  std::string to = opts_.destination.empty() ? project : opts_.destination;
  return maps_.emplace(project, RefMap(project, to)).first->second;
}

Loader::Loader(Context& ctx, LoadOptions opts) : ctx_(ctx), opts_(std::move(opts)) {}

Loader::~Loader() {
  if (writer_.joinable()) writer_.join();
}

Status Loader::Add(const Json& record, const std::string& where) {
  WEFT_ASSIGN(const Json* body, Body(record, where));
  const std::string& kind = record.begin().key();
  RefMap& map = MapFor((*body)["project_id"].get<std::string>());
  if (kind != "call") WEFT_TRY(WaitCalls());  // may name calls, or write while they are
  Status done = Status::OK();
  if (kind == "file")
    done = AddFile(*body, map);
  else if (kind == "table")
    done = AddTable(*body, map);
  else if (kind == "object")
    done = AddObject(*body, map, kind);
  else if (kind == "call")
    done = AddCall(map.RewriteAll(*body), kind);
  else if (kind == "feedback") {
    Json row = map.RewriteAll(*body);
    row["project_id"] = map.to();
    feedback_.push_back(std::move(row));
    if (feedback_.size() >= kBatch) done = FlushFeedback();
  } else if (kind == "price") {
    done = AddPrice(*body, map);
  } else {
    return Invalid(where + ": unknown record kind '" + kind + "'");
  }
  if (!done.ok()) return At(where, done.error());
  return Status::OK();
}

Status Loader::AddFile(const Json& file, RefMap& map) {
  if (!file.contains("content") || !file["content"].is_string())
    return Invalid("file.content: expected base64 text");
  auto bytes = Base64Decode(file["content"].get<std::string>());
  if (!bytes) return Invalid("file.content: not valid base64");
  if (file.contains("digest") && file["digest"] != BytesDigest(*bytes))
    return Invalid("file.digest: does not match the content");
  Json req = {{"project_id", map.to()},
              {"name", "file"},
              {"content", Json::binary(std::vector<uint8_t>(bytes->begin(), bytes->end()))}};
  WEFT_TRY(FileCreate(req, ctx_));
  ++counts_.files;
  return Status::OK();
}

Status Loader::AddTable(const Json& table, RefMap& map) {
  if (!table.contains("digest") || !table["digest"].is_string())
    return Invalid("table.digest: expected a string");
  if (!table.contains("rows") || !table["rows"].is_array())
    return Invalid("table.rows: expected a list");
  std::string row_digests;
  for (const Json& row : table["rows"]) row_digests += ValueDigest(row);
  if (table["digest"] != HexDigest(row_digests))
    return Invalid("table.digest: does not match the table's rows");
  Json req = {{"table", {{"project_id", map.to()}, {"rows", map.RewriteAll(table["rows"])}}}};
  WEFT_ASSIGN(Json res, TableCreate(req, ctx_));
  map.Add(VersionKey("table", "", table["digest"].get<std::string>()),
          VersionKey("table", "", res["digest"].get<std::string>()));
  ++counts_.tables;
  return Status::OK();
}

Status Loader::AddObject(const Json& obj, RefMap& map, const std::string& where) {
  if (obj.contains("digest") && obj.contains("val") && obj["digest"] != ValueDigest(obj["val"]))
    return Invalid("object.digest: does not match the object's value");
  Json local = map.RewriteAll(obj);  // one copy: only refs change, and its other fields hold none
  local["project_id"] = map.to();
  WEFT_ASSIGN(std::string digest, ImportObject(local, ctx_, where));
  if (obj.contains("digest") && obj["digest"].is_string()) {
    std::string kind = obj.value("kind", "object"), name = obj.value("object_id", "");
    map.Add(VersionKey(kind, name, obj["digest"].get<std::string>()),
            VersionKey(kind, name, digest));
  }
  ++counts_.objects;
  return Status::OK();
}

Status Loader::AddPrice(const Json& row, RefMap& map) {
  auto price = Price::FromJson(row);
  if (!price.ok())
    return Invalid("price: not a price row as weft export writes it (" + price.error().message +
                   ")");
  WEFT_TRY(CheckLlmId(price->llm_id, "price.llm_id"));
  price->pricing_level = "project";
  price->pricing_level_id = map.to();
  WEFT_TRY(ctx_.store->Write([&](Txn& txn) { return PutPrices(txn, map.to(), {*price}); }));
  ++counts_.prices;
  return Status::OK();
}

Status Loader::AddText(std::string_view line, const std::string& where) {
  auto parts = ReadCallRecordFast(line, ctx_);
  if (!parts) {
    WEFT_ASSIGN(Json record, ParseJson(line, where));
    return Add(record, where);
  }
  // What RewriteAll does to the record: its values hold no ref (or the fast
  // reader declines), so only its name and text fields may.
  const RefMap& map = MapFor(parts->front().project);
  for (CallPart& p : *parts) {
    p.project = map.to();
    if (map.identity()) continue;
    ForEachField(p.call, [&](const CallFieldInfo& f, auto& v) {
      using T = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<T, std::string>)
        if (f.kind == FieldKind::kName) v = map.Rewrite(v);
      if constexpr (std::is_same_v<T, std::optional<std::string>>)
        if (v) v = map.Rewrite(*v);
    });
  }
  return AddParts(std::move(*parts));
}

Status Loader::AddCall(Json call, const std::string& where) {
  call["project_id"] = MapFor(call["project_id"].get<std::string>()).to();
  WEFT_ASSIGN(auto parts, ReadCallSchema(call, ctx_, where));
  return AddParts(std::move(parts));
}

Status Loader::AddParts(std::vector<CallPart> parts) {
  calls_.push_back(std::move(parts));
  if (calls_.size() >= kBatch) return FlushCalls();
  return Status::OK();
}

// Calls are written a batch at a time on a thread of their own while the
// next batch is read; every other write waits for it first (WaitCalls).
Status Loader::FlushCalls() {
  WEFT_TRY(WaitCalls());
  if (calls_.empty()) return Status::OK();
  writing_ = std::move(calls_);
  calls_.clear();
  writer_ = std::thread([this] { written_ = WriteCalls(); });
  return Status::OK();
}

Status Loader::WriteCalls() {
  return ctx_.store->Write([&](Txn& txn) -> Status {
    done_ = LoadCounts();  // counted afresh should the transaction run again
    for (const auto& parts : writing_) {
      std::vector<const CallPart*> ptrs;
      for (const auto& p : parts) ptrs.push_back(&p);
      WEFT_ASSIGN(CallOutcome outcome,
                  ReplaceCall(txn, parts.front().project, ptrs, opts_.replace));
      ++(outcome == CallOutcome::kNew         ? done_.calls_new
         : outcome == CallOutcome::kUnchanged ? done_.calls_unchanged
         : outcome == CallOutcome::kReplaced  ? done_.calls_replaced
                                              : done_.calls_kept);
    }
    return Status::OK();
  });
}

Status Loader::WaitCalls() {
  if (!writer_.joinable()) return Status::OK();
  writer_.join();
  writing_.clear();
  WEFT_TRY(written_);
  counts_.calls_new += done_.calls_new;
  counts_.calls_unchanged += done_.calls_unchanged;
  counts_.calls_replaced += done_.calls_replaced;
  counts_.calls_kept += done_.calls_kept;
  counts_.calls = counts_.calls_new + counts_.calls_unchanged + counts_.calls_replaced;
  return Status::OK();
}

Status Loader::FlushFeedback() {
  if (feedback_.empty()) return Status::OK();
  WEFT_TRY(ImportFeedback(feedback_, ctx_));
  counts_.feedback += feedback_.size();
  feedback_ = Json::array();
  return Status::OK();
}

Status Loader::Flush() {
  WEFT_TRY(FlushCalls());
  WEFT_TRY(WaitCalls());
  return FlushFeedback();
}

}  // namespace weft
