// The call roll-up record (FORMAT.md#call-roll-ups): a version byte, the op
// name, the count and latency histogram, then each model's count, latencies
// (or a mark that they are the row's own) and token counts; signed numbers
// zigzag varints, histogram buckets as differences from the one before.
#include "core/records/records.h"
#include "core/records/varint.h"

namespace weft {
namespace {

constexpr char kRollupVersion = 1;

void PutSigned(std::string& out, int64_t v) {
  PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

int64_t ReadSigned(RecordReader& r) {
  uint64_t v = r.Varint();
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

void PutHistogram(std::string& out, const Histogram& h) {
  PutVarint(out, h.buckets().size());
  int64_t last = 0;
  for (const auto& [bucket, count] : h.buckets()) {
    PutSigned(out,
              static_cast<int64_t>(static_cast<uint64_t>(bucket) - static_cast<uint64_t>(last)));
    PutSigned(out, count);
    last = bucket;
  }
}

Histogram ReadHistogram(RecordReader& r) {
  Histogram h;
  uint64_t n = r.Varint();
  int64_t bucket = 0;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    bucket =
        static_cast<int64_t>(static_cast<uint64_t>(bucket) + static_cast<uint64_t>(ReadSigned(r)));
    h.Add(bucket, ReadSigned(r));
  }
  return h;
}

}  // namespace

std::string EncodeRollup(const CallRollup& r) {
  std::string out(1, kRollupVersion);
  PutVarint(out, r.op_name.size());
  out += r.op_name;
  PutSigned(out, r.count);
  PutHistogram(out, r.latency);
  PutVarint(out, r.models.size());
  for (const auto& [model, m] : r.models) {
    PutVarint(out, model.size());
    out += model;
    PutSigned(out, m.count);
    // A model of every call of the row has the row's latencies: not written twice.
    bool same = m.count == r.count && m.latency == r.latency;
    PutVarint(out, same);
    if (!same) PutHistogram(out, m.latency);
    for (auto field : kUsageCounts) PutSigned(out, m.tokens.*field);
  }
  return out;
}

Result<CallRollup> DecodeRollup(std::string_view bytes) {
  if (bytes.empty() || bytes[0] != kRollupVersion) return StoreError("corrupt call roll-up");
  RecordReader r(bytes.substr(1));
  CallRollup out;
  out.op_name = r.Str();
  out.count = ReadSigned(r);
  out.latency = ReadHistogram(r);
  uint64_t models = r.Varint();
  for (uint64_t i = 0; i < models && r.ok(); ++i) {
    RollupModel& m = out.models[std::string(r.Str())];
    m.count = ReadSigned(r);
    bool same = r.Varint() == 1;
    m.latency = same ? out.latency : ReadHistogram(r);
    for (auto field : kUsageCounts) m.tokens.*field = ReadSigned(r);
  }
  if (!r.ok()) return StoreError("corrupt call roll-up");
  return out;
}

}  // namespace weft
