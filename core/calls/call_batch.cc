// Bulk ingest: call_upsert_batch (Weave's /call/upsert_batch body) and
// calls_import (the same items as NDJSON, one per line). Every item is
// validated before its batch's transaction begins, and a start refused
// against the store aborts the transaction, so a bad item leaves its batch
// unwritten. A call's parts are merged and written once, with one read.
// upsert_batch is one transaction; import reads its input in blocks of
// kImportBlock bytes, each validated and written in one transaction
// (docs/semantics.md#bulk-ingest) while the next is parsed, so its memory
// stays flat however long the input.
#include <algorithm>
#include <atomic>
#include <functional>
#include <numeric>
#include <span>
#include <thread>
#include <unordered_map>

#include "base/json_cursor.h"
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
constexpr size_t kImportBlock = size_t{8} << 20;

// One item: {"mode": "start"|"end", "req": {"start"|"end": ...}}; a bare
// CallStartReq or CallEndReq is accepted too.
Result<CallPart> ReadItem(const Json& item, Context& ctx) {
  const Json* req = &item;
  std::string path;
  bool start;
  if (item.is_object() && item.contains("mode")) {
    Fields f(item, "", &ctx.warnings, Extra::kIgnore);  // CallBatchStartMode is not strict
    std::string mode = f.Str("mode");
    f.Dict("req");
    WEFT_TRY(f.Finish());
    if (mode != "start" && mode != "end")
      return Invalid("mode: expected 'start' or 'end', got '" + mode + "'");
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

// The parts of each call, grouped, in the order the calls first appear:
// group i is parts[begin[i], begin[i + 1]) (flat: an import has millions).
struct Groups {
  std::vector<const CallPart*> parts;
  std::vector<size_t> begin{0};

  size_t size() const { return begin.size() - 1; }
  std::span<const CallPart* const> operator[](size_t i) const {
    return {parts.data() + begin[i], parts.data() + begin[i + 1]};
  }
};

Groups ByCall(const std::vector<CallPart>& parts) {
  // Keyed by the id alone (views into parts), which is all an import of one
  // project needs; the same id in another project gets a key with both.
  std::unordered_map<std::string_view, size_t> by_id;
  std::unordered_map<std::string, size_t> by_key;
  by_id.reserve(parts.size());
  std::vector<const CallPart*> firsts;  // each group's first part
  std::vector<size_t> group_of(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    const CallPart& p = parts[i];
    auto [it, fresh] = by_id.try_emplace(p.call.id, firsts.size());
    size_t group = it->second;
    if (!fresh && firsts[group]->project != p.project) {
      auto [other, first] = by_key.try_emplace(keys::Call(p.project, p.call.id), firsts.size());
      group = other->second;
      fresh = first;
    }
    if (fresh) firsts.push_back(&p);
    group_of[i] = group;
  }
  // Each group's parts in place, in their order.
  Groups groups;
  groups.begin.assign(firsts.size() + 1, 0);
  for (size_t group : group_of) ++groups.begin[group + 1];
  std::partial_sum(groups.begin.begin(), groups.begin.end(), groups.begin.begin());
  std::vector<size_t> next(groups.begin.begin(), groups.begin.end() - 1);
  groups.parts.resize(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) groups.parts[next[group_of[i]]++] = &parts[i];
  return groups;
}

// The write of each group's call on a store that holds none of it
// (PrepareParts), worked out before the write transaction so that the
// store's one writer only stores the calls that are new to it.
using Prepared = std::vector<std::optional<NewCallWrite>>;
Prepared Prepare(const Groups& groups) {
  Prepared out;
  out.reserve(groups.size());
  for (size_t i = 0; i < groups.size(); ++i)
    out.push_back(PrepareParts(groups[i].front()->project, groups[i]));
  return out;
}

// Writes the calls of groups: one read and one write each. `prepared` is
// Prepare(groups), or empty: calls import leaves it so, as both its threads
// are busy parsing and the work would only move, not shrink (measured in
// bench/RESULTS.md).
Status Apply(Txn& txn, const Groups& groups, const Prepared& prepared, const PartName& where) {
  for (size_t i = 0; i < groups.size(); ++i)
    WEFT_TRY(ApplyParts(txn, groups[i].front()->project, groups[i], where,
                        i < prepared.size() && prepared[i] ? &*prepared[i] : nullptr));
  return Status::OK();
}

// upsert_batch's answer, as CompactDumps writes it: {"res": [...]}, the id
// and trace id of each start, {} for each end.
std::string BatchAnswer(const std::vector<CallPart>& parts) {
  std::string out = "{\"res\":[";
  out.reserve(out.size() + parts.size() * 96);
  for (const CallPart& p : parts) {
    if (&p != parts.data()) out += ',';
    if (!p.start) {
      out += "{}";
      continue;
    }
    out += "{\"id\":";
    AppendJsonString(out, p.call.id);
    out += ",\"trace_id\":";
    AppendJsonString(out, p.call.trace_id);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace

namespace {

// Writes a batch's parts in one transaction.
Status WriteBatch(const std::vector<CallPart>& parts, Context& ctx) {
  Groups groups = ByCall(parts);
  Prepared prepared = Prepare(groups);
  auto where = [&](const CallPart& p) {
    return "batch." + std::to_string(&p - parts.data()) + ": ";
  };
  return ctx.store->Write([&](Txn& txn) { return Apply(txn, groups, prepared, where); });
}

// Items ReadBatchText makes room for at once.
constexpr size_t kMaxReserved = 10000;

// The items of {"batch": [...]} read from its text one at a time, or
// nullopt when the text is not that plain shape (another member, an
// escaped key, nesting past the cursor's depth): the caller then parses it
// whole. An item's error is the general reader's, word for word.
std::optional<Result<std::vector<CallPart>>> ReadBatchText(std::string_view text, Context& ctx) {
  JsonCursor cursor(text);
  std::string_view key, raw;
  if (!cursor.Object() || !cursor.Member(key) || key != "batch" || !cursor.Array())
    return std::nullopt;
  std::vector<CallPart> parts;
  while (cursor.Element()) {
    if (!cursor.Raw(raw)) return std::nullopt;
    // Room for as many items as the text holds if they were half the first
    // one's size (a call's parts are big to move), within a bound.
    if (parts.empty())
      parts.reserve(std::min(kMaxReserved, text.size() / std::max<size_t>(raw.size() / 2, 64) + 1));
    if (auto fast = ReadItemFast(raw, ctx)) {
      parts.push_back(std::move(*fast));
      continue;
    }
    std::string where = "batch." + std::to_string(parts.size());
    auto item = ParseJson(raw, where);
    if (!item.ok()) return std::nullopt;
    auto part = ReadItemAt(*item, ctx, where);
    if (!part.ok()) return Result<std::vector<CallPart>>(part.error());
    parts.push_back(std::move(*part));
  }
  if (!cursor.ok() || cursor.Member(key) || !cursor.AtEnd()) return std::nullopt;
  return Result<std::vector<CallPart>>(std::move(parts));
}

}  // namespace

namespace {

// The parts of a request's `batch`, each item read by read(item, "batch.N").
Result<std::vector<CallPart>> ReadBatch(
    const Json& req, Context& ctx,
    const std::function<Result<std::vector<CallPart>>(const Json&, const std::string&)>& read) {
  Fields f(req, "", &ctx.warnings);
  const Json& batch = f.List("batch");
  WEFT_TRY(f.Finish());
  std::vector<CallPart> parts;
  for (size_t i = 0; i < batch.size(); ++i) {
    WEFT_ASSIGN(std::vector<CallPart> item, read(batch[i], "batch." + std::to_string(i)));
    for (CallPart& p : item) parts.push_back(std::move(p));
  }
  return parts;
}

}  // namespace

Result<Json> CallUpsertBatch(const Json& req, Context& ctx) {
  WEFT_ASSIGN(auto parts, ReadBatch(req, ctx,
                                    [&](const Json& item,
                                        const std::string& where) -> Result<std::vector<CallPart>> {
                                      WEFT_ASSIGN(CallPart p, ReadItemAt(item, ctx, where));
                                      return std::vector<CallPart>{std::move(p)};
                                    }));
  WEFT_TRY(WriteBatch(parts, ctx));
  return ParseJson(BatchAnswer(parts), "answer");
}

Result<Json> CallsComplete(const Json& req, Context& ctx) {
  WEFT_ASSIGN(
      auto parts,
      ReadBatch(req, ctx,
                [&](const Json& call, const std::string& where) -> Result<std::vector<CallPart>> {
                  if (call.is_object() &&
                      (!call.contains("ended_at") || call["ended_at"].is_null()))
                    return Invalid(where + ".ended_at: field required (a complete call has ended)");
                  return ReadCallSchema(call, ctx, where);
                }));
  WEFT_TRY(WriteBatch(parts, ctx));
  return Json::object();
}

Status CallUpsertBatchText(std::string_view text, Context& ctx, std::string& out) {
  Context mine = ctx;  // its warnings are kept only if the text is read this way
  mine.warnings.clear();
  if (auto parts = ReadBatchText(text, mine)) {
    WEFT_TRY(*parts);
    ctx.warnings.insert(ctx.warnings.end(), mine.warnings.begin(), mine.warnings.end());
    WEFT_TRY(WriteBatch(**parts, ctx));
    out += BatchAnswer(**parts);
    return Status::OK();
  }
  WEFT_ASSIGN(Json req, ParseJson(text, "request body"));
  WEFT_ASSIGN(Json answer, CallUpsertBatch(req, ctx));
  out += CompactDumps(answer);
  return Status::OK();
}

namespace {

// Lines of NDJSON text into lines, blank ones left out, with their numbers
// (the first is first_line); answers the number of the line after them.
size_t Lines(std::string_view text, size_t first_line,
             std::vector<std::pair<size_t, std::string_view>>& lines) {
  lines.clear();
  size_t number = first_line - 1;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) lines.emplace_back(number, line);
  }
  return number + 1;
}

// Parses and validates lines [begin, end) into parts[begin, end); stops at
// the first error.
Status ReadLines(const std::vector<std::pair<size_t, std::string_view>>& lines, size_t begin,
                 size_t end, Context& ctx, std::vector<CallPart>& parts) {
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

// A block of NDJSON lines, parsed by every thread that calls Work(): each
// takes the next chunk of lines until none is left, and the thread that
// finishes the last one groups the parts by call (off the writing thread).
// Finish() then gives the earliest line's error, and adds the warnings in
// line order. A block is refilled rather than made anew, so that its
// memory is reused.
class Block {
 public:
  // Takes the lines of text, which must outlive their parsing and writing;
  // answers the number of the line after them.
  size_t Reset(std::string_view text, size_t first_line) {
    size_t after = Lines(text, first_line, lines_);
    parts_.resize(lines_.size());
    chunks_ = (lines_.size() + kChunk - 1) / kChunk;
    next_ = 0;
    done_ = 0;
    groups_ = Groups();
    errors_.assign(chunks_, Status::OK());
    warnings_.assign(chunks_, {});
    return after;
  }

  void Work(const Context& ctx) {
    for (size_t chunk; (chunk = next_++) < chunks_;) {
      Context mine = ctx;
      mine.warnings.clear();
      errors_[chunk] = ReadLines(lines_, chunk * kChunk,
                                 std::min(lines_.size(), (chunk + 1) * kChunk), mine, parts_);
      warnings_[chunk] = std::move(mine.warnings);
      if (++done_ == chunks_) groups_ = ByCall(parts_);
    }
  }
  // No chunk is taken after this.
  void Cancel() { next_ = chunks_; }

  Status Finish(Context& ctx) {
    for (size_t chunk = 0; chunk < chunks_; ++chunk) {
      WEFT_TRY(errors_[chunk]);
      ctx.warnings.insert(ctx.warnings.end(), warnings_[chunk].begin(), warnings_[chunk].end());
    }
    return Status::OK();
  }

  bool empty() const { return lines_.empty(); }
  const std::vector<CallPart>& parts() const { return parts_; }
  const Groups& groups() const { return groups_; }
  size_t LineOf(const CallPart& p) const { return lines_[&p - parts_.data()].first; }

 private:
  static constexpr size_t kChunk = 2048;  // lines

  std::vector<std::pair<size_t, std::string_view>> lines_;
  std::vector<CallPart> parts_;
  size_t chunks_ = 0;
  std::atomic<size_t> next_{0}, done_{0};
  Groups groups_;
  std::vector<Status> errors_;
  std::vector<std::vector<std::string>> warnings_;
};

// Work() on this thread and one more.
void WorkOnTwoThreads(Block& block, const Context& ctx) {
  std::thread helper([&] { block.Work(ctx); });
  block.Work(ctx);
  helper.join();
}

// Writes a parsed block in one transaction; adds to the counts.
Status WriteBlock(Context& ctx, Block& block, size_t& parts_done, size_t& starts) {
  WEFT_TRY(block.Finish(ctx));
  auto where = [&](const CallPart& p) { return "line " + std::to_string(block.LineOf(p)) + ": "; };
  // What the block read of the store is let go after the commit
  // (Store::Write): an import of millions of calls keeps its memory flat.
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return Apply(txn, block.groups(), {}, where); }));
  parts_done += block.parts().size();
  starts += std::count_if(block.parts().begin(), block.parts().end(),
                          [](const CallPart& p) { return p.start; });
  if (ctx.progress) ctx.progress(parts_done, 0);
  return Status::OK();
}

// Reads the next block of complete lines of ctx.input into text (a line
// longer than a block makes it longer); carry keeps what was read past its
// last line.
Status ReadBlock(Context& ctx, std::string& carry, std::string& text) {
  text.assign(carry);
  for (;;) {
    size_t have = text.size();
    text.resize(std::max(have + kImportBlock / 2, kImportBlock));
    WEFT_ASSIGN(size_t got, ctx.input(text.data() + have, text.size() - have));
    text.resize(have + got);
    if (got == 0) {
      carry.clear();
      return Status::OK();
    }
    size_t end = text.rfind('\n');
    if (end == std::string::npos || text.size() < kImportBlock)
      continue;  // read on to a full block
    carry.assign(text, end + 1);
    text.resize(end + 1);
    return Status::OK();
  }
}

// ctx.input a block at a time, in two blocks that take turns: while one is
// written, the other is parsed on a second thread (and on this one too once
// the write is done).
Status ImportStream(Context& ctx, size_t& parts_done, size_t& starts) {
  std::string carry, texts[2];
  Block blocks[2];
  size_t line = 1;
  auto fill = [&](int i) -> Status {
    WEFT_TRY(ReadBlock(ctx, carry, texts[i]));
    line = blocks[i].Reset(texts[i], line);
    return Status::OK();
  };
  WEFT_TRY(fill(0));
  WorkOnTwoThreads(blocks[0], ctx);
  for (int i = 0; !blocks[i].empty(); i ^= 1) {
    Block& next = blocks[i ^ 1];
    WEFT_TRY(fill(i ^ 1));
    std::thread helper([&] { next.Work(ctx); });
    Status written = WriteBlock(ctx, blocks[i], parts_done, starts);
    if (!written.ok()) next.Cancel();
    next.Work(ctx);
    helper.join();
    WEFT_TRY(written);
  }
  return Status::OK();
}

}  // namespace

Result<Json> CallsImport(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  const Json* input = f.OptAny("ndjson");
  if (f.ok() && !input && !ctx.input) f.Fail("ndjson", "field required");
  if (f.ok() && input && !input->is_binary() && !input->is_string())
    f.Fail("ndjson", "expected NDJSON text");
  WEFT_TRY(f.Finish());
  size_t parts = 0, starts = 0;
  ctx.user();  // looked up once, before the parsing threads copy ctx
  if (input) {
    std::string_view text =
        input->is_binary()
            ? std::string_view(reinterpret_cast<const char*>(input->get_binary().data()),
                               input->get_binary().size())
            : std::string_view(input->get_ref<const std::string&>());
    Block block;
    block.Reset(text, 1);
    WorkOnTwoThreads(block, ctx);
    WEFT_TRY(WriteBlock(ctx, block, parts, starts));
  } else {
    WEFT_TRY(ImportStream(ctx, parts, starts));
  }
  return Json{{"imported", parts}, {"starts", starts}, {"ends", parts - starts}};
}

}  // namespace weft
