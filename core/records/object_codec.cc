// Object version records (FORMAT.md#objects): the compact JSON of
// {base_object_class, created_at, deleted_at?, leaf_object_class?, val,
// version_index}, members in that order, so that the value, which may be
// 100 MB, sits between the small members before it and the last one.
#include <optional>
#include <utility>

#include "base/json_cursor.h"
#include "core/records/records.h"
#include "store/keys.h"

namespace weft {
namespace {

constexpr std::string_view kIndex = ",\"version_index\":";

// Where the value of a record starts and ends: after the members before
// "val", read one by one, and before the last member, which the format
// fixes; nullopt for a record not written so. *head gets those members.
std::optional<std::pair<size_t, size_t>> ValueExtent(std::string_view value, Json* head) {
  JsonCursor cursor(value);
  std::string_view name, raw;
  bool at_val = false;
  if (cursor.Object())
    while (!at_val && cursor.Member(name)) {
      at_val = name == "val";
      if (at_val || !cursor.Raw(raw)) continue;
      auto member = ParseJson(raw, "stored object");
      if (!member.ok()) return std::nullopt;
      if (head) (*head)[std::string(name)] = std::move(*member);
    }
  size_t tail = value.rfind(kIndex);
  if (!cursor.ok() || !at_val || tail == std::string_view::npos || tail < cursor.offset())
    return std::nullopt;
  return std::make_pair(cursor.offset(), tail);
}

Result<ObjectVersion> FromKey(std::string_view key) {
  auto parts = keys::DecodeObject(key);
  if (!parts) return StoreError("corrupt object key");
  ObjectVersion v;
  v.project_id = std::move(parts->project);
  v.kind = std::move(parts->kind);
  v.object_id = std::move(parts->object_id);
  v.digest = std::move(parts->digest);
  return v;
}

// The version a decoded record (or its metadata with val {}) holds.
Result<ObjectVersion> FromRecord(std::string_view key, Json rec) {
  WEFT_ASSIGN(ObjectVersion v, FromKey(key));
  if (!rec.is_object() || !rec["created_at"].is_number_integer() ||
      !rec["version_index"].is_number_unsigned())
    return StoreError("stored object " + v.object_id + ":" + v.digest + " is damaged");
  v.created_at = rec["created_at"].get<Micros>();
  v.version_index = rec["version_index"].get<uint32_t>();
  v.base_object_class = rec["base_object_class"];
  // Records written before leaf_object_class was kept take it from the value.
  v.leaf_object_class =
      rec.contains("leaf_object_class") ? rec["leaf_object_class"] : ClassesOf(rec["val"]).leaf;
  if (rec.contains("deleted_at") && rec["deleted_at"].is_number_integer())
    v.deleted_at = rec["deleted_at"].get<Micros>();
  v.val = std::move(rec["val"]);
  return v;
}

}  // namespace

std::string EncodeObjectRecord(const ObjectVersion& v, const Json& val) {
  std::string out = "{\"base_object_class\":" + CompactDumps(v.base_object_class) +
                    ",\"created_at\":" + std::to_string(v.created_at);
  if (v.deleted_at) out += ",\"deleted_at\":" + std::to_string(*v.deleted_at);
  if (!v.leaf_object_class.is_null())
    out += ",\"leaf_object_class\":" + CompactDumps(v.leaf_object_class);
  out += ",\"val\":";
  out += CompactDumps(val);
  out += kIndex;
  out += std::to_string(v.version_index) + "}";
  return out;
}

Result<ObjectVersion> DecodeObjectRecord(std::string_view key, std::string_view value) {
  WEFT_ASSIGN(Json rec, ParseJson(value, "stored object"));
  WEFT_ASSIGN(ObjectVersion v, FromRecord(key, std::move(rec)));
  auto extent = ValueExtent(value, nullptr);
  v.val_bytes = extent ? extent->second - extent->first : CompactDumps(v.val).size();
  return v;
}

Result<ObjectVersion> DecodeObjectMetadata(std::string_view key, std::string_view value) {
  Json head = Json::object();
  auto extent = ValueExtent(value, &head);
  // Anything unexpected, or an old record whose leaf class is in its value:
  // the whole record is read.
  bool old_leaf =
      !head.contains("leaf_object_class") && !head.value("base_object_class", Json()).is_null();
  if (!extent || old_leaf) {
    WEFT_ASSIGN(ObjectVersion v, DecodeObjectRecord(key, value));
    v.val = Json::object();
    return v;
  }
  std::string rest(value.substr(extent->second));  // ,"version_index":N}
  rest.front() = '{';
  WEFT_ASSIGN(Json tail, ParseJson(rest, "stored object"));
  head.update(tail);
  head["val"] = Json::object();
  WEFT_ASSIGN(ObjectVersion v, FromRecord(key, std::move(head)));
  v.val_bytes = extent->second - extent->first;
  return v;
}

}  // namespace weft
