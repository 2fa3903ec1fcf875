// The named sub-databases of a store and the bytes of every key weft
// writes: the only place that knows them. Each key kind has an encoder and,
// where a reader needs parts back, a decoder. store/FORMAT.md documents
// every key and value; keep the two in step.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft {

// Bump when the layout changes; a store of a newer format is refused.
// Format 2 adds a checksum to every value; format 1 stores are read and
// written as they are, without. Format 3 adds the call indexes by status,
// user, thread, display name, end and latency: a format 2 store gains them
// in its first write transaction (store/FORMAT.md#format-3). Format 4 adds
// the per-hour roll-ups of calls (store/FORMAT.md#format-4), gained the same way.
inline constexpr int kFormatVersion = 4;
inline constexpr int kFirstChecksummedFormat = 2;
inline constexpr int kFirstFormatWithCallIndexesII = 3;
inline constexpr int kFirstFormatWithRollups = 4;

enum class Db {
  kMeta,           // "format" -> decimal format version
  kProjects,       // project -> created_at (be64 µs)
  kObjects,        // project \0 kind \0 object_id \0 digest -> object record
  kObjVersions,    // project \0 kind \0 object_id \0 be32 version -> digest
  kRows,           // project \0 row digest -> row value (Python JSON text)
  kTables,         // project \0 table digest -> row digests, concatenated
  kFiles,          // project \0 file digest -> raw bytes
  kCalls,          // project \0 call id -> call record (core/calls/call_record.h)
  kCallsByStart,   // project \0 time \0 call id -> ""  (started, not deleted)
  kCallsByTrace,   // project \0 trace id \0 time \0 call id -> ""
  kCallsByParent,  // project \0 parent id ("" for roots) \0 time \0 call id -> ""
  kCallsByOp,      // project \0 op name (first 200 bytes) \0 time \0 call id -> ""
  kFeedback,       // project \0 time \0 feedback id -> feedback row (JSON)
  kSync,           // project \0 destination \0 item -> what push recorded (docs/transfer.md)
  kCosts,          // project \0 llm id \0 price id -> price row (JSON; docs/costs.md)
  // Format 3's call indexes, entries "" like the four above:
  kCallsByStatus,   // project \0 status \0 time \0 call id   (error and running calls)
  kCallsByUser,     // project \0 wb_user_id \0 time \0 call id  (calls with one)
  kCallsByThread,   // project \0 thread_id \0 time \0 call id   (calls with one)
  kCallsByName,     // project \0 display_name \0 time \0 call id (calls with one)
  kCallsByEnd,      // project \0 ended_at \0 call id             (ended calls)
  kCallsByLatency,  // project \0 start bucket \0 latency ms \0 call id (ended calls)
  // Format 4: the calls that started in one hour, per status and op
  // (core/records/FORMAT.md#call-roll-ups), kept in step with calls.
  kCallRollups,  // project \0 hour \0 status \0 op key -> roll-up
  kCount,        // not a sub-database: how many there are
};
inline constexpr int kDbCount = static_cast<int>(Db::kCount);

// LMDB's name for each sub-database.
const char* DbName(Db db);

// The sub-databases that index calls (weft check rebuilds them all).
inline constexpr Db kCallIndexDbs[] = {Db::kCallsByStart,  Db::kCallsByTrace,  Db::kCallsByParent,
                                       Db::kCallsByOp,     Db::kCallsByStatus, Db::kCallsByUser,
                                       Db::kCallsByThread, Db::kCallsByName,   Db::kCallsByEnd,
                                       Db::kCallsByLatency};
bool IsCallIndex(Db db);

namespace keys {

// meta: the format version stamp.
inline constexpr std::string_view kFormat = "format";

// projects, and the prefix of a project's keys in every other sub-database.
std::string Project(std::string_view project);
std::string ProjectPrefix(std::string_view project);
// The project a key of any sub-database but meta belongs to.
std::string_view ProjectOf(std::string_view key);

// rows, tables and files: content addressed by digest.
std::string Digest(std::string_view project, std::string_view digest);
// The digest a Digest key names.
std::string_view DigestOf(std::string_view key);

// objects and obj_versions.
std::string Object(std::string_view project, std::string_view kind, std::string_view object_id,
                   std::string_view digest);
std::string ObjectsOfKindPrefix(std::string_view project, std::string_view kind);
// The keys in objects of one object of a kind: project \0 kind \0 object_id \0
// (ObjVersionsPrefix is its versions in obj_versions).
std::string ObjectPrefix(std::string_view project, std::string_view kind,
                         std::string_view object_id);
struct ObjectParts {
  std::string project, kind, object_id, digest;
};
std::optional<ObjectParts> DecodeObject(std::string_view key);
std::string ObjVersion(std::string_view project, std::string_view kind, std::string_view object_id,
                       uint32_t version_index);
std::string ObjVersionsPrefix(std::string_view project, std::string_view kind,
                              std::string_view object_id);
// The version index of an obj_versions key under its prefix.
uint32_t DecodeObjVersion(std::string_view key, size_t prefix_size);

// calls.
std::string Call(std::string_view project, std::string_view call_id);

// The call indexes. `value` is the trace id, parent id ("" for roots), op
// name, status, user, thread or display name; kCallsByStart, kCallsByEnd
// and kCallsByLatency have none, and their `started_at` is the start, the
// end or the latency. Names, users and threads are cut to kMaxOpKeyPart
// bytes and before any NUL (KeyPartIsWhole), so that no key passes LMDB's
// 511 bytes and none runs into the next part; readers check the whole
// value.
inline constexpr size_t kMaxOpKeyPart = 200;
std::string CallIndex(Db index, std::string_view project, std::string_view value,
                      int64_t started_at, std::string_view call_id);
// Whether an index keeps this value whole (not cut).
bool KeyPartIsWhole(Db index, std::string_view value);
// calls_by_latency: the four hours a call started in, then its latency, so
// that writes stay among the keys of the buckets being recorded (one sorted tree
// of every latency would be rewritten page by page by each commit).
inline constexpr int64_t kLatencyBucket = int64_t{4 * 3600} * 1000000;  // µs
int64_t LatencyBucketOf(int64_t started_at);                            // floored
std::string LatencyIndex(std::string_view project, int64_t started_at, int64_t latency_ms,
                         std::string_view call_id);
// The prefix of one bucket's entries; DecodeCallIndex reads their
// (latency, id) tails.
std::string LatencyBucketPrefix(std::string_view project, int64_t bucket);
// The bucket of a calls_by_latency key of this project.
int64_t DecodeLatencyBucket(std::string_view key, std::string_view project);
// A call's entries in all four indexes (by start, trace, parent, op), its
// time and id encoded once.
std::array<std::string, 4> CallIndexes(std::string_view project, std::string_view trace_id,
                                       std::string_view parent_id, std::string_view op_name,
                                       int64_t started_at, std::string_view call_id);
// The prefix of every entry with this value (or, for kCallsByStart, of the
// project).
std::string CallIndexPrefix(Db index, std::string_view project, std::string_view value = "");
// Where entries of an index range (CallIndexPrefix's prefix) that started at
// started_at or later begin: a bound for walking a time window.
std::string CallIndexAt(std::string_view range_prefix, int64_t started_at);
// The prefix of every op index entry whose op name starts with name_start.
std::string OpNameStartPrefix(std::string_view project, std::string_view name_start);
struct CallIndexEntry {
  int64_t started_at = 0;
  std::string call_id;
};
// The (time, id) tail of an index key whose range prefix is prefix_size
// bytes long.
CallIndexEntry DecodeCallIndex(std::string_view key, size_t prefix_size);
// The same read from the key's end, whatever its value holds (a binary trace
// id may hold NUL bytes): for walking an index across its values.
CallIndexEntry DecodeCallIndexTail(std::string_view key);

// call_rollups: a project's roll-ups of one hour (started_at floored to the
// hour), status and op; op_key is the op name, or for a name past
// kMaxOpKeyPart bytes its start and a digest of it (core/calls/call_rollups.h).
inline constexpr int64_t kRollupHour = int64_t{3600} * 1000000;  // µs
std::string CallRollup(std::string_view project, int64_t hour, std::string_view status,
                       std::string_view op_key);
// Where the roll-ups of hour and later begin, under ProjectPrefix(project).
std::string CallRollupAt(std::string_view project, int64_t hour);
// The parts of a call_rollups key of this project (views into the key).
struct RollupKeyParts {
  int64_t hour = 0;
  std::string_view status, op_key;
};
std::optional<RollupKeyParts> DecodeCallRollup(std::string_view key, std::string_view project);

// feedback: by creation time, so a project's rows read in insertion order.
std::string Feedback(std::string_view project, int64_t created_at, std::string_view feedback_id);
// The feedback id of a key under ProjectPrefix(project).
std::string DecodeFeedbackId(std::string_view key, size_t prefix_size);

// costs: a project's own LLM prices, by llm id.
std::string Cost(std::string_view project, std::string_view llm_id, std::string_view price_id);

// sync: what weft push has sent from a project to one destination (a short
// digest of server URL and project), item by item.
std::string Sync(std::string_view project, std::string_view destination, std::string_view item);
std::string SyncPrefix(std::string_view project, std::string_view destination);

// A key of any sub-database in words, for reports (weft check): its parts
// decoded ("project e/p, call 0192...-..."), any byte that is not printable
// shown as \xNN.
std::string DescribeKey(Db db, std::string_view key);

}  // namespace keys
}  // namespace weft
