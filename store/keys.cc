// The bytes of every key: parts joined by '\0', big-endian numbers, times
// with the sign bit flipped, canonical UUIDs in 16 bytes.
#include "store/keys.h"

#include <array>
#include <cstdint>

#include "base/bytes.h"

namespace weft {

const char* DbName(Db db) {
  static constexpr const char* kNames[kDbCount] = {"meta",
                                                   "projects",
                                                   "objects",
                                                   "obj_versions",
                                                   "rows",
                                                   "tables",
                                                   "files",
                                                   "calls",
                                                   "calls_by_start",
                                                   "calls_by_trace",
                                                   "calls_by_parent",
                                                   "calls_by_op",
                                                   "feedback",
                                                   "sync",
                                                   "costs",
                                                   "calls_by_status",
                                                   "calls_by_user",
                                                   "calls_by_thread",
                                                   "calls_by_name",
                                                   "calls_by_end",
                                                   "calls_by_latency",
                                                   "call_rollups"};
  return kNames[static_cast<int>(db)];
}

bool IsCallIndex(Db db) {
  for (Db index : kCallIndexDbs)
    if (db == index) return true;
  return false;
}

namespace keys {
namespace {

constexpr char kSep = '\0';
constexpr char kBinaryId = '\x01';  // ids never hold control characters
constexpr size_t kTimeBytes = 8;
constexpr char kHex[] = "0123456789abcdef";

// The value of a lowercase hex digit, -1 for any other byte.
constexpr auto kNibbles = [] {
  std::array<int8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  return t;
}();
int Nibble(char c) { return kNibbles[static_cast<unsigned char>(c)]; }

bool IsUuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i)
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? id[i] != '-' : Nibble(id[i]) < 0) return false;
  return true;
}

// A key under construction: its first part, then each part after a '\0'.
// Room for the usual parts is made at once (keys are built by the million
// in an import).
class Builder {
 public:
  explicit Builder(std::string_view first) {
    s_.reserve(first.size() + 64);
    s_ = first;
  }
  Builder& Add(std::string_view part) {
    s_ += kSep;
    s_ += part;
    return *this;
  }
  Builder& AddU32(uint32_t v) {
    s_ += kSep;
    AppendBE(s_, v, 4);
    return *this;
  }
  // Biased so that negative times sort first.
  Builder& AddTime(int64_t micros) {
    s_ += kSep;
    AppendBE(s_, static_cast<uint64_t>(micros) ^ (uint64_t{1} << 63), kTimeBytes);
    return *this;
  }
  // A call, trace or parent id: a canonical lowercase UUID as \x01 and its
  // 16 bytes (they fill most index keys; they sort as their text does),
  // anything else as its text.
  Builder& AddId(std::string_view id) {
    if (!IsUuid(id)) return Add(id);
    char b[2 + 16] = {kSep, kBinaryId};
    char* out = b + 2;
    for (size_t i = 0; i < 36; i += 2) {
      if (id[i] == '-') ++i;
      *out++ = static_cast<char>(Nibble(id[i]) << 4 | Nibble(id[i + 1]));
    }
    s_.append(b, sizeof b);
    return *this;
  }
  // The finished key; the builder is spent.
  std::string Key() { return std::move(s_); }
  std::string Prefix() { return std::move(s_) + kSep; }

 private:
  std::string s_;
};

// The text of an id written by Builder::AddId.
std::string DecodeId(std::string_view b) {
  if (b.size() != 17 || b[0] != kBinaryId) return std::string(b);
  std::string id;
  for (size_t i = 1; i < 17; ++i) {
    if (i == 5 || i == 7 || i == 9 || i == 11) id += '-';
    id += kHex[static_cast<unsigned char>(b[i]) >> 4];
    id += kHex[static_cast<unsigned char>(b[i]) & 15];
  }
  return id;
}

int64_t DecodeTime(std::string_view b) {
  return static_cast<int64_t>(DecodeBE(b.substr(0, kTimeBytes)) ^ (uint64_t{1} << 63));
}

std::string_view OpKeyPart(std::string_view op_name) { return op_name.substr(0, kMaxOpKeyPart); }

// A name, user or thread as its index holds it: at most kMaxOpKeyPart
// bytes, and nothing from a NUL on.
std::string_view TextKeyPart(std::string_view text) {
  return OpKeyPart(text.substr(0, text.find(kSep)));
}

bool Valueless(Db index) { return index == Db::kCallsByStart || index == Db::kCallsByEnd; }

bool CutText(Db index) {
  return index == Db::kCallsByUser || index == Db::kCallsByThread || index == Db::kCallsByName;
}

Builder IndexValue(Db index, std::string_view project, std::string_view value) {
  Builder b(project);
  if (index == Db::kCallsByOp)
    b.Add(OpKeyPart(value));
  else if (CutText(index))
    b.Add(TextKeyPart(value));
  else if (!Valueless(index))
    b.AddId(value);
  return b;
}

}  // namespace

std::string Project(std::string_view project) { return std::string(project); }
std::string ProjectPrefix(std::string_view project) { return Builder(project).Prefix(); }
std::string_view ProjectOf(std::string_view key) { return key.substr(0, key.find(kSep)); }

std::string Digest(std::string_view project, std::string_view digest) {
  return Builder(project).Add(digest).Key();
}

std::string_view DigestOf(std::string_view key) {
  size_t sep = key.find(kSep);
  return sep == std::string_view::npos ? std::string_view() : key.substr(sep + 1);
}

std::string Object(std::string_view project, std::string_view kind, std::string_view object_id,
                   std::string_view digest) {
  return Builder(project).Add(kind).Add(object_id).Add(digest).Key();
}

std::string ObjectsOfKindPrefix(std::string_view project, std::string_view kind) {
  return Builder(project).Add(kind).Prefix();
}

std::string ObjectPrefix(std::string_view project, std::string_view kind,
                         std::string_view object_id) {
  return Builder(project).Add(kind).Add(object_id).Prefix();
}

std::optional<ObjectParts> DecodeObject(std::string_view key) {
  ObjectParts p;
  std::string* parts[] = {&p.project, &p.kind, &p.object_id, &p.digest};
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    size_t end = i < 3 ? key.find(kSep, start) : key.size();
    if (end == std::string_view::npos) return std::nullopt;
    *parts[i] = std::string(key.substr(start, end - start));
    start = end + 1;
  }
  return p;
}

std::string ObjVersion(std::string_view project, std::string_view kind, std::string_view object_id,
                       uint32_t version_index) {
  return Builder(project).Add(kind).Add(object_id).AddU32(version_index).Key();
}

std::string ObjVersionsPrefix(std::string_view project, std::string_view kind,
                              std::string_view object_id) {
  return Builder(project).Add(kind).Add(object_id).Prefix();
}

uint32_t DecodeObjVersion(std::string_view key, size_t prefix_size) {
  return static_cast<uint32_t>(DecodeBE(key.substr(prefix_size)));
}

std::string Call(std::string_view project, std::string_view call_id) {
  return Builder(project).AddId(call_id).Key();
}

namespace {

// What every index entry of a call ends with: its start time and id.
std::string IndexTail(int64_t started_at, std::string_view call_id) {
  return Builder("").AddTime(started_at).AddId(call_id).Key();
}

}  // namespace

std::string CallIndex(Db index, std::string_view project, std::string_view value,
                      int64_t started_at, std::string_view call_id) {
  return IndexValue(index, project, value).Key() + IndexTail(started_at, call_id);
}

std::array<std::string, 4> CallIndexes(std::string_view project, std::string_view trace_id,
                                       std::string_view parent_id, std::string_view op_name,
                                       int64_t started_at, std::string_view call_id) {
  std::string tail = IndexTail(started_at, call_id);
  return {IndexValue(Db::kCallsByStart, project, "").Key() + tail,
          IndexValue(Db::kCallsByTrace, project, trace_id).Key() + tail,
          IndexValue(Db::kCallsByParent, project, parent_id).Key() + tail,
          IndexValue(Db::kCallsByOp, project, op_name).Key() + tail};
}

bool KeyPartIsWhole(Db index, std::string_view value) {
  if (index == Db::kCallsByOp) return OpKeyPart(value).size() == value.size();
  return !CutText(index) || TextKeyPart(value).size() == value.size();
}

int64_t LatencyBucketOf(int64_t started_at) {
  int64_t bucket = started_at / kLatencyBucket * kLatencyBucket;
  return bucket > started_at ? bucket - kLatencyBucket : bucket;
}

std::string LatencyIndex(std::string_view project, int64_t started_at, int64_t latency_ms,
                         std::string_view call_id) {
  return Builder(project).AddTime(LatencyBucketOf(started_at)).Key() +
         IndexTail(latency_ms, call_id);
}

std::string LatencyBucketPrefix(std::string_view project, int64_t bucket) {
  return Builder(project).AddTime(bucket).Prefix();
}

int64_t DecodeLatencyBucket(std::string_view key, std::string_view project) {
  return key.size() < project.size() + 1 + kTimeBytes ? 0
                                                      : DecodeTime(key.substr(project.size() + 1));
}

std::string CallIndexPrefix(Db index, std::string_view project, std::string_view value) {
  return IndexValue(index, project, value).Prefix();
}

std::string CallIndexAt(std::string_view range_prefix, int64_t started_at) {
  // The prefix ends with the separator that AddTime would write.
  std::string key = std::string(range_prefix.substr(0, range_prefix.size() - 1));
  return Builder(key).AddTime(started_at).Prefix();
}

std::string OpNameStartPrefix(std::string_view project, std::string_view name_start) {
  return Builder(project).Add(OpKeyPart(name_start)).Key();
}

CallIndexEntry DecodeCallIndex(std::string_view key, size_t prefix_size) {
  size_t tail = prefix_size;
  CallIndexEntry e;
  if (key.size() <= tail + kTimeBytes) return e;  // not an index key
  e.started_at = DecodeTime(key.substr(tail));
  e.call_id = DecodeId(key.substr(tail + kTimeBytes + 1));
  return e;
}

CallIndexEntry DecodeCallIndexTail(std::string_view key) {
  // ...<sep><time><sep><id>: a binary id is <kBinaryId> and 16 bytes; a text one holds no NUL.
  bool binary =
      key.size() >= 18 && key[key.size() - 18] == kSep && key[key.size() - 17] == kBinaryId;
  size_t id_at = binary ? key.size() - 17 : key.rfind(kSep) + 1;
  CallIndexEntry e;
  if (id_at == 0 || id_at < kTimeBytes + 2) return e;  // not an index key
  e.started_at = DecodeTime(key.substr(id_at - 1 - kTimeBytes));
  e.call_id = DecodeId(key.substr(id_at));
  return e;
}

std::string CallRollup(std::string_view project, int64_t hour, std::string_view status,
                       std::string_view op_key) {
  return Builder(project).AddTime(hour).Add(status).Add(op_key).Key();
}

std::string CallRollupAt(std::string_view project, int64_t hour) {
  return Builder(project).AddTime(hour).Key();
}

std::optional<RollupKeyParts> DecodeCallRollup(std::string_view key, std::string_view project) {
  size_t at = project.size() + 1;  // after project \0
  if (key.size() < at + kTimeBytes + 1 || key.substr(0, at - 1) != project) return std::nullopt;
  RollupKeyParts p;
  p.hour = DecodeTime(key.substr(at));
  at += kTimeBytes + 1;
  size_t status_end = key.find(kSep, at);
  if (status_end == std::string_view::npos) return std::nullopt;
  p.status = key.substr(at, status_end - at);
  p.op_key = key.substr(status_end + 1);
  return p;
}

std::string Feedback(std::string_view project, int64_t created_at, std::string_view feedback_id) {
  return Builder(project).AddTime(created_at).Add(feedback_id).Key();
}

std::string Cost(std::string_view project, std::string_view llm_id, std::string_view price_id) {
  return Builder(project).Add(llm_id).Add(price_id).Key();
}

std::string DecodeFeedbackId(std::string_view key, size_t prefix_size) {
  size_t at = prefix_size + kTimeBytes + 1;
  return at <= key.size() ? std::string(key.substr(at)) : std::string();
}

std::string Sync(std::string_view project, std::string_view destination, std::string_view item) {
  return Builder(project).Add(destination).Add(item).Key();
}
std::string SyncPrefix(std::string_view project, std::string_view destination) {
  return Builder(project).Add(destination).Prefix();
}

namespace {

std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The time and call id that end an index key, and where its value ends;
// nullopt when the key is too short to hold them.
struct IndexTailParts {
  size_t value_end;
  int64_t started_at;
  std::string call_id;
};
std::optional<IndexTailParts> SplitIndexTail(std::string_view key, size_t value_start) {
  bool binary =
      key.size() >= 18 && key[key.size() - 17] == kBinaryId && key[key.size() - 18] == kSep;
  size_t sep = binary ? key.size() - 18 : key.rfind(kSep);
  if (sep == std::string_view::npos || sep < value_start + kTimeBytes) return std::nullopt;
  size_t time = sep - kTimeBytes;
  return IndexTailParts{time == value_start ? time : time - 1, DecodeTime(key.substr(time)),
                        DecodeId(key.substr(sep + 1))};
}

// The parts of a call index key after its project, in words.
std::optional<std::string> DescribeCallIndex(Db db, std::string_view key,
                                             const std::string& project) {
  size_t rest = std::min(key.size(), project.size() + 1);
  auto tail = SplitIndexTail(key, rest);
  if (!tail) return std::nullopt;
  std::string call = ", call " + Printable(tail->call_id);
  std::string time = std::to_string(tail->started_at);
  if (db == Db::kCallsByStart) return ", started " + time + " us" + call;
  if (db == Db::kCallsByEnd) return ", ended " + time + " us" + call;
  if (db == Db::kCallsByLatency)
    return ", bucket " + std::to_string(DecodeLatencyBucket(key, project)) + " us, latency " +
           time + " ms" + call;
  std::string value = Printable(DecodeId(key.substr(rest, tail->value_end - rest)));
  const char* what = db == Db::kCallsByTrace    ? ", trace "
                     : db == Db::kCallsByParent ? ", parent "
                     : db == Db::kCallsByOp     ? ", op "
                     : db == Db::kCallsByStatus ? ", status "
                     : db == Db::kCallsByUser   ? ", user "
                     : db == Db::kCallsByThread ? ", thread "
                                                : ", name ";
  return what + (value.empty() ? std::string("(none)") : value) + ", started " + time + " us" +
         call;
}

}  // namespace

std::string DescribeKey(Db db, std::string_view key) {
  std::string project(ProjectOf(key));
  std::string out = "project " + Printable(project);
  size_t rest = std::min(key.size(), project.size() + 1);
  switch (db) {
    case Db::kMeta: return "meta " + Printable(key);
    case Db::kProjects: return out;
    case Db::kRows:
    case Db::kTables:
    case Db::kFiles: return out + ", digest " + Printable(key.substr(rest));
    case Db::kCalls: return out + ", call " + Printable(DecodeId(key.substr(rest)));
    case Db::kObjects:
      if (auto o = DecodeObject(key))
        return out + ", " + Printable(o->kind + " " + o->object_id) + ", digest " +
               Printable(o->digest);
      break;
    case Db::kObjVersions: {
      size_t kind_end = key.find(kSep, rest), name_end = kind_end == std::string_view::npos
                                                             ? kind_end
                                                             : key.find(kSep, kind_end + 1);
      if (name_end == std::string_view::npos || key.size() < name_end + 5) break;
      return out + ", " + Printable(key.substr(rest, kind_end - rest)) + " " +
             Printable(key.substr(kind_end + 1, name_end - kind_end - 1)) + ", version " +
             std::to_string(DecodeObjVersion(key, name_end + 1));
    }
    case Db::kCallsByStart:
    case Db::kCallsByTrace:
    case Db::kCallsByParent:
    case Db::kCallsByOp:
    case Db::kCallsByStatus:
    case Db::kCallsByUser:
    case Db::kCallsByThread:
    case Db::kCallsByName:
    case Db::kCallsByEnd:
    case Db::kCallsByLatency:
      if (auto said = DescribeCallIndex(db, key, project)) return out + *said;
      break;
    case Db::kCallRollups:
      if (auto r = DecodeCallRollup(key, project))
        return out + ", hour " + std::to_string(r->hour) + " us, status " + Printable(r->status) +
               ", op " + Printable(r->op_key);
      break;
    case Db::kFeedback:
      return out + ", feedback " + Printable(DecodeFeedbackId(key, project.size() + 1));
    case Db::kSync: return out + ", " + Printable(key.substr(rest));
    case Db::kCosts: return out + ", price " + Printable(key.substr(rest));
    case Db::kCount: break;
  }
  return out + ", undecodable key " + Printable(key.substr(rest));
}

}  // namespace keys
}  // namespace weft
