// Bulk ingest: call_upsert_batch (Weave's /call/upsert_batch body) and
// calls_import (the same items as NDJSON, one per line). Every item is
// validated, and every start checked against the store, before anything of
// its batch is written, so a bad item leaves its batch unwritten. A call's
// parts are merged and written once. upsert_batch is one transaction;
// import reads its input in blocks of kImportBlock bytes, each validated
// and written in one transaction (docs/semantics.md#calls-import), so its
// memory stays flat however long the input.
#include <algorithm>
#include <thread>
#include <unordered_map>

#include "core/calls/call_index.h"
#include "core/calls/calls.h"
#include "core/calls/fast_item.h"
#include "core/methods.h"
#include "store/keys.h"

namespace weft {
namespace {

// Bytes of NDJSON calls import reads, validates and writes at a time: large
// enough to amortise the commit's sync, small enough that memory stays flat
// (the parsed items take about three times their text).
constexpr size_t kImportBlock = size_t{32} << 20;


// One item: {"mode": "start"|"end", "req": {"start"|"end": ...}}; a bare
// CallStartReq or CallEndReq is accepted too.
Result<CallPart> ReadItem(const Json& item, Context& ctx) {
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
  WEFT_ASSIGN(CallPart part, start ? ReadStart(f, ctx) : ReadEnd(f));
  WEFT_TRY(f.Finish());
  return part;
}

// ReadItem with `where` ("line 7", "batch.3") in front of its messages.
Result<CallPart> ReadItemAt(const Json& item, Context& ctx, const std::string& where) {
  auto part = ReadItem(item, ctx);
  if (!part.ok()) return Error{part.error().kind, where + ": " + part.error().message};
  return part;
}

// The parts of each call, grouped, in the order the calls first appear.
using Groups = std::vector<std::vector<const CallPart*>>;

Groups ByCall(const std::vector<CallPart>& parts) {
  // Keyed by the id alone (views into parts), which is all an import of one
  // project needs; the same id in another project gets a key with both.
  std::unordered_map<std::string_view, size_t> by_id;
  std::unordered_map<std::string, size_t> by_key;
  by_id.reserve(parts.size());
  Groups groups;
  for (const CallPart& p : parts) {
    auto [it, fresh] = by_id.try_emplace(p.call.id, groups.size());
    size_t group = it->second;
    if (!fresh && groups[group].front()->project != p.project) {
      auto [other, first] = by_key.try_emplace(keys::Call(p.project, p.call.id), groups.size());
      group = other->second;
      fresh = first;
    }
    if (fresh) groups.emplace_back();
    groups[group].push_back(&p);
  }
  return groups;
}

// Writes the calls of groups[begin, end): one read and one write each.
Status Apply(Txn& txn, const Groups& groups, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) WEFT_TRY(ApplyParts(txn, groups[i].front()->project, groups[i]));
  return Status::OK();
}

Json Response(const CallPart& p) {
  return p.start ? Json{{"id", p.call.id}, {"trace_id", p.call.trace_id}} : Json::object();
}

}  // namespace

Result<Json> CallUpsertBatch(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  const Json& batch = f.List("batch");
  WEFT_TRY(f.Finish());
  std::vector<CallPart> parts;
  for (size_t i = 0; i < batch.size(); ++i) {
    WEFT_ASSIGN(CallPart p, ReadItemAt(batch[i], ctx, "batch." + std::to_string(i)));
    parts.push_back(std::move(p));
  }
  Groups groups = ByCall(parts);
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return Apply(txn, groups, 0, groups.size()); }));
  Json res = Json::array();
  for (const CallPart& p : parts) res.push_back(Response(p));
  return Json{{"res", res}};
}

namespace {

// Lines of NDJSON text, blank ones left out, with their numbers (the first
// is first_line).
std::vector<std::pair<size_t, std::string_view>> Lines(std::string_view text, size_t first_line) {
  std::vector<std::pair<size_t, std::string_view>> lines;
  size_t number = first_line - 1;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) lines.emplace_back(number, line);
  }
  return lines;
}

// Parses and validates lines [begin, end) into parts[begin, end); stops at
// the first error.
Status ReadLines(const std::vector<std::pair<size_t, std::string_view>>& lines, size_t begin, size_t end,
                 Context& ctx, std::vector<CallPart>& parts) {
  for (size_t i = begin; i < end; ++i) {
    if (auto fast = ReadItemFast(lines[i].second, ctx)) {
      parts[i] = std::move(*fast);
      continue;
    }
    std::string where = "line " + std::to_string(lines[i].first);
    WEFT_ASSIGN(Json item, ParseJson(lines[i].second, where));
    WEFT_ASSIGN(parts[i], ReadItemAt(item, ctx, where));
  }
  return Status::OK();
}

// A start of a call that has started already (in the store, or earlier in
// the input) fails the import before anything is written.
Status CheckStarts(Store& store, const Groups& groups, const std::vector<CallPart>& parts,
                   const std::vector<std::pair<size_t, std::string_view>>& lines) {
  return store.Read([&](Txn& txn) -> Status {
    for (const auto& group : groups) {
      // A start again is refused unless it is the same start (an import or
      // a batch sent again); ApplyParts then skips it.
      const CallPart* again = nullptr;
      const CallPart* first = nullptr;
      for (const CallPart* p : group) {
        if (p->start && first && !again && !SameStart(first->call, p->call)) again = p;
        if (p->start && !first) first = p;
      }
      if (!again && first) {
        WEFT_ASSIGN(auto stored, LoadCall(txn, group.front()->project, group.front()->call.id));
        if (stored && stored->started() && !SameStart(*stored, first->call)) again = first;
      }
      if (again)
        return Invalid("line " + std::to_string(lines[again - parts.data()].first) + ": start.id: call " +
                       again->call.id + " has already started");
    }
    return Status::OK();
  });
}

// Validates the complete lines of text (numbered from first_line) and
// writes them in one transaction; adds to the counts.
Status ImportLines(Context& ctx, std::string_view text, size_t first_line, size_t& parts_done, size_t& starts) {
  auto lines = Lines(text, first_line);
  std::vector<CallPart> parts(lines.size());
  // Parsing is most of the work: the second half of the lines is read on a
  // second thread while this one reads the first.
  size_t half = lines.size() / 2;
  Context second = ctx;
  second.warnings.clear();
  Status second_half;
  std::thread helper([&] { second_half = ReadLines(lines, half, lines.size(), second, parts); });
  Status first_half = ReadLines(lines, 0, half, ctx, parts);
  helper.join();
  WEFT_TRY(first_half);
  WEFT_TRY(second_half);
  ctx.warnings.insert(ctx.warnings.end(), second.warnings.begin(), second.warnings.end());
  Groups groups = ByCall(parts);
  WEFT_TRY(CheckStarts(*ctx.store, groups, parts, lines));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return Apply(txn, groups, 0, groups.size()); }));
  parts_done += parts.size();
  starts += std::count_if(parts.begin(), parts.end(), [](const CallPart& p) { return p.start; });
  if (ctx.progress) ctx.progress(parts_done, 0);
  return Status::OK();
}

// ctx.input in blocks of complete lines (a line longer than a block grows it).
Status ImportStream(Context& ctx, size_t& parts_done, size_t& starts) {
  std::string buffer;
  size_t line = 1;
  for (bool more = true; more;) {
    size_t have = buffer.size();
    buffer.resize(std::max(have + kImportBlock / 2, kImportBlock));
    WEFT_ASSIGN(size_t got, ctx.input(buffer.data() + have, buffer.size() - have));
    buffer.resize(have + got);
    more = got > 0;
    size_t end = more ? buffer.rfind('\n') : buffer.size();
    if (end == std::string::npos || (more && buffer.size() < kImportBlock)) continue;  // read on to a full block
    if (more) ++end;
    std::string_view block(buffer.data(), end);
    WEFT_TRY(ImportLines(ctx, block, line, parts_done, starts));
    line += std::count(block.begin(), block.end(), '\n');
    buffer.erase(0, end);
  }
  return Status::OK();
}

}  // namespace

Result<Json> CallsImport(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  const Json* input = f.OptAny("ndjson");
  if (f.ok() && !input && !ctx.input) f.Fail("ndjson", "field required");
  if (f.ok() && input && !input->is_binary() && !input->is_string()) f.Fail("ndjson", "expected NDJSON text");
  WEFT_TRY(f.Finish());
  size_t parts = 0, starts = 0;
  if (input) {
    std::string_view text = input->is_binary()
        ? std::string_view(reinterpret_cast<const char*>(input->get_binary().data()), input->get_binary().size())
        : std::string_view(input->get_ref<const std::string&>());
    WEFT_TRY(ImportLines(ctx, text, 1, parts, starts));
  } else {
    WEFT_TRY(ImportStream(ctx, parts, starts));
  }
  return Json{{"imported", parts}, {"starts", starts}, {"ends", parts - starts}};
}

}  // namespace weft
