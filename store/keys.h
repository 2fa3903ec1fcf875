// The named sub-databases of a store and how their keys are built.
// store/FORMAT.md documents every key and value; keep the two in step.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weft {

// Bump when the layout changes; a store of a newer format is refused.
inline constexpr int kFormatVersion = 1;

enum class Db {
  kMeta,         // "format" -> decimal format version
  kProjects,     // project -> created_at (be64 µs)
  kObjects,      // project \0 kind \0 object_id \0 digest -> object record
  kObjVersions,  // project \0 kind \0 object_id \0 be32 version -> digest
  kRows,         // project \0 row digest -> row value (Python JSON text)
  kTables,       // project \0 table digest -> row digests, concatenated
  kFiles,        // project \0 file digest -> raw bytes
  kCalls,        // project \0 call id -> call record (core/call_record.h)
  kCallsByStart,   // project \0 time \0 call id -> ""  (started, not deleted)
  kCallsByTrace,   // project \0 trace id \0 time \0 call id -> ""
  kCallsByParent,  // project \0 parent id ("" for roots) \0 time \0 call id -> ""
  kCallsByOp,      // project \0 op name \0 time \0 call id -> ""
  kFeedback,     // project \0 feedback id -> feedback row (JSON)
};
inline constexpr int kDbCount = 13;

// LMDB's name for each sub-database.
const char* DbName(Db db);

// Key parts joined by '\0'. Parts never contain '\0' (ids are validated).
class Key {
 public:
  explicit Key(std::string_view first) : s_(first) {}
  Key& Add(std::string_view part) {
    s_ += '\0';
    s_ += part;
    return *this;
  }
  // Big-endian so that numbers sort in key order.
  Key& AddU32(uint32_t v);
  Key& AddU64(uint64_t v);
  // A call, trace or parent id: a canonical lowercase UUID as \x01 and its
  // 16 bytes (they fill most index keys), anything else as its text.
  Key& AddId(std::string_view id);
  // A signed time, biased so that negative times sort first.
  Key& AddTime(int64_t micros) { return AddU64(static_cast<uint64_t>(micros) ^ (uint64_t{1} << 63)); }
  // The key followed by the separator: the prefix of every longer key.
  std::string Prefix() const { return s_ + '\0'; }
  const std::string& str() const { return s_; }
  operator std::string_view() const { return s_; }

 private:
  std::string s_;
};

// The text of an id written by Key::AddId.
std::string DecodeId(std::string_view bytes);

// The last `width` bytes of v, big-endian.
std::string EncodeBE(uint64_t v, int width);
// A big-endian number of up to 8 bytes.
uint64_t DecodeBE(std::string_view b);

}  // namespace weft
