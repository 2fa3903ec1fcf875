// The call record (FORMAT.md#calls): a version byte, a presence bitmap,
// three times and length-prefixed strings, so a record decodes without
// parsing JSON; read in place (ViewCall) or whole (DecodeCall).
#include <algorithm>
#include <cstring>

#include "base/bytes.h"
#include "core/records/records.h"
#include "core/records/varint.h"

namespace weft {
namespace {

constexpr char kRecordVersion = 1;

std::string JoinRefs(const std::vector<std::string>& refs) {
  std::string out;
  for (const auto& r : refs) PutVarint(out, r.size()), out += r;
  return out;
}

std::vector<std::string> SplitRefs(std::string_view joined) {
  std::vector<std::string> refs;
  RecordReader r(joined);
  while (r.ok()) {
    std::string_view s = r.Str();
    if (r.ok()) refs.emplace_back(s);
  }
  return refs;
}

}  // namespace

// The layout (core/records/FORMAT.md#calls): the version byte, the presence bits, then
// every field in table order: a time as 8 bytes whether set or not, an
// integer as a zigzag varint and a text length-prefixed, those with a
// presence bit only when set.
std::string EncodeCall(const CallRecord& c) {
  uint64_t presence = 0;
  size_t room = 64;
  ForEachField(c, [&](const CallFieldInfo& f, const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>) {
      room += v.size() + 10;
      if (f.bit >= 0 && !v.empty()) presence |= uint64_t{1} << f.bit;
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      for (const auto& r : v) room += r.size() + 10;
    } else {
      if constexpr (std::is_same_v<T, std::optional<std::string>>) room += v ? v->size() + 10 : 0;
      if (v) presence |= uint64_t{1} << f.bit;
    }
  });
  std::string out;
  out.reserve(room);
  out += kRecordVersion;
  PutVarint(out, presence);
  auto put = [&](std::string_view s) { PutVarint(out, s.size()), out += s; };
  ForEachField(c, [&](const CallFieldInfo& f, const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>) {
      if (f.bit < 0 || !v.empty()) put(v);
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      put(JoinRefs(v));
    } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      if (v) put(*v);
    } else if (f.kind == FieldKind::kTime) {
      AppendBE(out, static_cast<uint64_t>(v.value_or(0)), 8);
    } else if (v) {
      PutVarint(out, (static_cast<uint64_t>(*v) << 1) ^ static_cast<uint64_t>(*v >> 63));
    }
  });
  return out;
}

Result<CallView> ViewCall(std::string_view bytes) {
  if (bytes.empty() || bytes[0] != kRecordVersion) return StoreError("corrupt call record");
  RecordReader r(bytes.substr(1));
  CallView v;
  v.presence = r.Varint();
  for (int i = 0; i < CallField::kCount && r.ok(); ++i) {
    FieldKind kind = kCallFields[i].kind;
    if (kind == FieldKind::kTime) {
      v.number[i] = static_cast<Micros>(r.Fixed64());
    } else if (!v.Has(i)) {
      continue;
    } else if (kind == FieldKind::kInt) {
      uint64_t z = r.Varint();
      v.number[i] = static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
    } else {
      v.text[i] = r.Str();
    }
  }
  if (!r.ok()) return StoreError("corrupt call record");
  return v;
}

Result<CallRecord> DecodeCall(std::string_view bytes) {
  WEFT_ASSIGN(CallView v, ViewCall(bytes));
  CallRecord c;
  ForEachField(c, [&](const CallFieldInfo& f, auto& m) {
    int i = static_cast<int>(&f - kCallFields);
    using T = std::decay_t<decltype(m)>;
    if constexpr (std::is_same_v<T, std::string>) {
      if (v.Has(i)) m = v.text[i];
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      m = SplitRefs(v.text[i]);
    } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      if (v.Has(i)) m = std::string(v.text[i]);
    } else {
      if (v.Has(i)) m = v.number[i];
    }
  });
  return c;
}

}  // namespace weft
