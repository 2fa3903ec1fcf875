// OTLP protobuf, read with a small wire-format reader of weft's own rather
// than libprotobuf (docs/otel.md#decoding says why): field numbers from
// opentelemetry-proto's trace/v1, common/v1 and resource/v1 .proto files.
// Unknown fields are skipped; a malformed body is an invalid request.
#include <algorithm>
#include <cstring>

#include "base/base64.h"
#include "base/percent.h"
#include "base/utf8.h"
#include "core/api/otlp.h"

namespace weft {
namespace {

constexpr int kMaxValueDepth = 64;  // arrays and key-value lists inside attribute values

enum WireType { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

// One message's fields, in order.
class Proto {
 public:
  explicit Proto(std::string_view b) : b_(b) {}
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }

  // The next field: its number and wire type; false at the end or on an error.
  bool Next(uint32_t& field, int& type) {
    if (pos_ >= b_.size() || !ok_) return false;
    uint64_t tag = Varint();
    field = static_cast<uint32_t>(tag >> 3);
    type = static_cast<int>(tag & 7);
    if (ok_ && field == 0) Fail("field number 0");
    return ok_;
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && pos_ < b_.size(); shift += 7) {
      unsigned char c = b_[pos_++];
      v |= static_cast<uint64_t>(c & 0x7F) << shift;
      if (!(c & 0x80)) return v;
    }
    return Fail("a varint runs past the end"), 0;
  }
  uint64_t Fixed(int bytes) {
    if (b_.size() - pos_ < static_cast<size_t>(bytes))
      return Fail("a fixed-width field runs past the end"), 0;
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b_[pos_ + i]);
    pos_ += bytes;
    return v;
  }
  std::string_view Bytes() {
    uint64_t n = Varint();
    if (!ok_ || n > b_.size() - pos_) return Fail("a length runs past the end"), std::string_view();
    std::string_view s = b_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string String(const char* what) {
    std::string_view s = Bytes();
    if (ok_ && !ValidUtf8(s)) Fail(std::string(what) + " is not UTF-8");
    return std::string(s);
  }
  // Reads a field of the wire type its schema gives, or fails.
  bool Want(int type, int want) {
    if (type != want) Fail("a field has the wrong wire type");
    return ok_;
  }
  void Skip(int type) {
    switch (type) {
      case kVarint: Varint(); break;
      case kFixed64: Fixed(8); break;
      case kLen: Bytes(); break;
      case kFixed32: Fixed(4); break;
      default: Fail("unknown wire type " + std::to_string(type));
    }
  }
  void Fail(const std::string& what) {
    if (ok_) error_ = what;
    ok_ = false;
    pos_ = b_.size();
  }
  // Takes a nested message's failure as this one's.
  bool Take(const Proto& inner) {
    if (!inner.ok()) Fail(inner.error());
    return ok_;
  }

 private:
  std::string_view b_;
  size_t pos_ = 0;
  bool ok_ = true;
  std::string error_;
};

std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += kDigits[c >> 4], out += kDigits[c & 15];
  return out;
}

void ReadKeyValue(Proto& outer, std::string_view bytes, OtelAttributes& into, int depth);

// AnyValue: string 1, bool 2, int64 3, double 4, ArrayValue 5, KeyValueList 6, bytes 7.
Json ReadAnyValue(Proto& outer, std::string_view bytes, int depth) {
  if (depth > kMaxValueDepth) return outer.Fail("attribute values nest too deep"), Json(nullptr);
  Proto p(bytes);
  Json v = nullptr;
  uint32_t field;
  int type;
  while (p.Next(field, type)) {
    switch (field) {
      case 1:
        if (p.Want(type, kLen)) v = p.String("a string value");
        break;
      case 2:
        if (p.Want(type, kVarint)) v = p.Varint() != 0;
        break;
      case 3:
        if (p.Want(type, kVarint)) v = static_cast<int64_t>(p.Varint());
        break;
      case 4:
        if (p.Want(type, kFixed64)) {
          uint64_t bits = p.Fixed(8);
          double d;
          std::memcpy(&d, &bits, 8);
          v = d;  // NaN and infinities become Weave's strings when unflattened
        }
        break;
      case 5:
        if (p.Want(type, kLen)) {
          v = Json::array();
          Proto list(p.Bytes());
          while (list.Next(field, type))
            field == 1 && list.Want(type, kLen)
                ? v.push_back(ReadAnyValue(list, list.Bytes(), depth + 1))
                : list.Skip(type);
          p.Take(list);
        }
        break;
      case 6:
        if (p.Want(type, kLen)) {
          OtelAttributes kvs;
          Proto list(p.Bytes());
          while (list.Next(field, type))
            field == 1 && list.Want(type, kLen) ? ReadKeyValue(list, list.Bytes(), kvs, depth + 1)
                                                : list.Skip(type);
          p.Take(list);
          v = Json::object();
          for (auto& [k, val] : kvs) v[k] = std::move(val);
        }
        break;
      case 7:
        if (p.Want(type, kLen)) v = Base64Encode(p.Bytes());
        break;  // as Weave's to_json_serializable
      default: p.Skip(type);
    }
  }
  outer.Take(p);
  return v;
}

void ReadKeyValue(Proto& outer, std::string_view bytes, OtelAttributes& into, int depth) {
  Proto p(bytes);
  std::string key;
  Json value = nullptr;
  uint32_t field;
  int type;
  while (p.Next(field, type)) {
    if (field == 1 && p.Want(type, kLen))
      key = p.String("an attribute key");
    else if (field == 2 && p.Want(type, kLen))
      value = ReadAnyValue(p, p.Bytes(), depth);
    else if (p.ok())
      p.Skip(type);
  }
  if (outer.Take(p)) into.emplace_back(std::move(key), std::move(value));
}

// Reads the fields of one message with on(field, type, p) deciding each;
// on answers false for fields it does not know, which are skipped.
template <class F>
void ReadMessage(Proto& outer, std::string_view bytes, F&& on) {
  Proto p(bytes);
  uint32_t field;
  int type;
  while (p.Next(field, type))
    if (!on(field, type, p) && p.ok()) p.Skip(type);
  outer.Take(p);
}

bool Attributes(uint32_t field, uint32_t want, int type, Proto& p, OtelAttributes& into) {
  if (field != want) return false;
  if (p.Want(type, kLen)) ReadKeyValue(p, p.Bytes(), into, 0);
  return true;
}

void ReadEvent(Proto& outer, std::string_view bytes, OtelEvent& e) {
  ReadMessage(outer, bytes, [&](uint32_t field, int type, Proto& p) {
    switch (field) {
      case 1:
        if (p.Want(type, kFixed64)) e.time_ns = p.Fixed(8);
        return true;
      case 2:
        if (p.Want(type, kLen)) e.name = p.String("an event name");
        return true;
      case 4:
        if (p.Want(type, kVarint)) e.dropped_attributes_count = static_cast<uint32_t>(p.Varint());
        return true;
      default: return Attributes(field, 3, type, p, e.attributes);
    }
  });
}

void ReadLink(Proto& outer, std::string_view bytes, OtelLink& l) {
  ReadMessage(outer, bytes, [&](uint32_t field, int type, Proto& p) {
    switch (field) {
      case 1:
        if (p.Want(type, kLen)) l.trace_id = Hex(p.Bytes());
        return true;
      case 2:
        if (p.Want(type, kLen)) l.span_id = Hex(p.Bytes());
        return true;
      case 3:
        if (p.Want(type, kLen)) l.trace_state = p.String("a link's trace_state");
        return true;
      case 5:
        if (p.Want(type, kVarint)) l.dropped_attributes_count = static_cast<uint32_t>(p.Varint());
        return true;
      case 6:
        if (p.Want(type, kFixed32)) l.flags = static_cast<uint32_t>(p.Fixed(4));
        return true;
      default: return Attributes(field, 4, type, p, l.attributes);
    }
  });
}

void ReadSpan(Proto& outer, std::string_view bytes, OtelSpan& s) {
  ReadMessage(outer, bytes, [&](uint32_t field, int type, Proto& p) {
    switch (field) {
      case 1:
        if (p.Want(type, kLen)) s.trace_id = Hex(p.Bytes());
        return true;
      case 2:
        if (p.Want(type, kLen)) s.span_id = Hex(p.Bytes());
        return true;
      case 3:
        if (p.Want(type, kLen)) s.trace_state = p.String("trace_state");
        return true;
      case 4:
        if (p.Want(type, kLen)) s.parent_id = Hex(p.Bytes());
        return true;
      case 5:
        if (p.Want(type, kLen)) s.name = p.String("a span name");
        return true;
      case 6:
        if (p.Want(type, kVarint)) s.kind = static_cast<int>(p.Varint());
        return true;
      case 7:
        if (p.Want(type, kFixed64)) s.start_ns = p.Fixed(8);
        return true;
      case 8:
        if (p.Want(type, kFixed64)) s.end_ns = p.Fixed(8);
        return true;
      case 10:
        if (p.Want(type, kVarint)) s.dropped_attributes_count = static_cast<uint32_t>(p.Varint());
        return true;
      case 11:
        if (p.Want(type, kLen)) ReadEvent(p, p.Bytes(), s.events.emplace_back());
        return true;
      case 12:
        if (p.Want(type, kVarint)) s.dropped_events_count = static_cast<uint32_t>(p.Varint());
        return true;
      case 13:
        if (p.Want(type, kLen)) ReadLink(p, p.Bytes(), s.links.emplace_back());
        return true;
      case 14:
        if (p.Want(type, kVarint)) s.dropped_links_count = static_cast<uint32_t>(p.Varint());
        return true;
      case 15:
        if (p.Want(type, kLen))
          ReadMessage(p, p.Bytes(), [&](uint32_t f, int t, Proto& q) {
            if (f == 2 && q.Want(t, kLen))
              return s.status_message = q.String("a status message"), true;
            if (f == 3 && q.Want(t, kVarint))
              return s.status_code = static_cast<int>(q.Varint()), true;
            return false;
          });
        return true;
      case 16:
        if (p.Want(type, kFixed32)) s.flags = static_cast<uint32_t>(p.Fixed(4));
        return true;
      default: return Attributes(field, 9, type, p, s.attributes);
    }
  });
}

void ReadResourceSpans(Proto& outer, std::string_view bytes, OtelResourceSpans& rs) {
  ReadMessage(outer, bytes, [&](uint32_t field, int type, Proto& p) {
    if (field == 1 && p.Want(type, kLen)) {  // Resource
      ReadMessage(p, p.Bytes(), [&](uint32_t f, int t, Proto& q) {
        if (f == 2 && q.Want(t, kVarint))
          return rs.resource_dropped = static_cast<uint32_t>(q.Varint()), true;
        return Attributes(f, 1, t, q, rs.resource);
      });
      return true;
    }
    if (field == 2 && p.Want(type, kLen)) {  // ScopeSpans: its spans
      ReadMessage(p, p.Bytes(), [&](uint32_t f, int t, Proto& q) {
        if (f != 2) return false;
        if (q.Want(t, kLen)) ReadSpan(q, q.Bytes(), rs.spans.emplace_back());
        return true;
      });
      return true;
    }
    return false;
  });
}

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) out += static_cast<char>((v & 0x7F) | 0x80), v >>= 7;
  out += static_cast<char>(v);
}

// Protobuf writing: a message's fields appended to out.
void PutTag(std::string& out, int field, int type) {
  PutVarint(out, static_cast<uint64_t>(field) << 3 | type);
}
void PutBytes(std::string& out, int field, std::string_view bytes) {
  if (bytes.empty()) return;  // proto3 leaves empty fields out
  PutTag(out, field, kLen);
  PutVarint(out, bytes.size());
  out += bytes;
}
void PutMessage(std::string& out, int field, const std::string& message) {  // even when empty
  PutTag(out, field, kLen);
  PutVarint(out, message.size());
  out += message;
}
void PutFixed(std::string& out, int field, uint64_t v, int bytes) {
  if (v == 0) return;
  PutTag(out, field, bytes == 8 ? kFixed64 : kFixed32);
  for (int i = 0; i < bytes; ++i) out += static_cast<char>(v >> (8 * i));
}
void PutUint(std::string& out, int field, uint64_t v) {
  if (v == 0) return;
  PutTag(out, field, kVarint);
  PutVarint(out, v);
}
std::string Unhex(const std::string& hex) {  // ids were checked as hex when stored
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out +=
        static_cast<char>(std::max(HexValue(hex[i]), 0) * 16 + std::max(HexValue(hex[i + 1]), 0));
  return out;
}

std::string AnyValueProto(const Json& v);

std::string KeyValueProto(const std::string& key, const Json& value) {
  std::string kv;
  PutBytes(kv, 1, key);
  PutMessage(kv, 2, AnyValueProto(value));
  return kv;
}

std::string AnyValueProto(const Json& v) {
  std::string out;
  if (v.is_string()) {
    PutMessage(out, 1, v.get<std::string>());  // an empty string is still a string value
  } else if (v.is_boolean()) {
    PutTag(out, 2, kVarint);
    PutVarint(out, v.get<bool>());
  } else if (v.is_number_integer()) {
    PutTag(out, 3, kVarint);
    PutVarint(out,
              v.is_number_unsigned() ? v.get<uint64_t>() : static_cast<uint64_t>(v.get<int64_t>()));
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    PutTag(out, 4, kFixed64);
    for (int i = 0; i < 8; ++i) out += static_cast<char>(bits >> (8 * i));
  } else if (v.is_array()) {
    std::string list;
    for (const Json& item : v) PutMessage(list, 1, AnyValueProto(item));
    PutMessage(out, 5, list);
  } else if (v.is_object()) {
    std::string list;
    for (const auto& [k, item] : v.items()) PutMessage(list, 1, KeyValueProto(k, item));
    PutMessage(out, 6, list);
  }
  return out;
}

void PutAttributes(std::string& out, int field, const OtelAttributes& attributes) {
  for (const auto& [k, v] : attributes) PutMessage(out, field, KeyValueProto(k, v));
}

std::string SpanProto(const OtelSpan& s) {
  std::string out;
  PutBytes(out, 1, Unhex(s.trace_id));
  PutBytes(out, 2, Unhex(s.span_id));
  PutBytes(out, 3, s.trace_state);
  PutBytes(out, 4, Unhex(s.parent_id));
  PutBytes(out, 5, s.name);
  PutUint(out, 6, static_cast<uint64_t>(s.kind));
  PutFixed(out, 7, s.start_ns, 8);
  PutFixed(out, 8, s.end_ns, 8);
  PutAttributes(out, 9, s.attributes);
  for (const OtelEvent& e : s.events) {
    std::string event;
    PutFixed(event, 1, e.time_ns, 8);
    PutBytes(event, 2, e.name);
    PutAttributes(event, 3, e.attributes);
    PutMessage(out, 11, event);
  }
  for (const OtelLink& l : s.links) {
    std::string link;
    PutBytes(link, 1, Unhex(l.trace_id));
    PutBytes(link, 2, Unhex(l.span_id));
    PutBytes(link, 3, l.trace_state);
    PutAttributes(link, 4, l.attributes);
    PutFixed(link, 6, l.flags, 4);
    PutMessage(out, 13, link);
  }
  std::string status;
  PutBytes(status, 2, s.status_message);
  PutUint(status, 3, static_cast<uint64_t>(s.status_code));
  PutMessage(out, 15, status);
  PutFixed(out, 16, s.flags, 4);
  return out;
}

}  // namespace

std::string OtlpProto(const OtelRequest& request) {
  std::string out;
  for (const OtelResourceSpans& rs : request) {
    std::string resource, scope_spans, body;
    PutAttributes(resource, 1, rs.resource);
    PutMessage(body, 1, resource);
    std::string scope;
    PutBytes(scope, 1, "weft");
    PutMessage(scope_spans, 1, scope);
    for (const OtelSpan& s : rs.spans) PutMessage(scope_spans, 2, SpanProto(s));
    PutMessage(body, 2, scope_spans);
    PutMessage(out, 1, body);
  }
  return out;
}

Result<OtelRequest> DecodeOtlpProto(std::string_view bytes) {
  OtelRequest request;
  Proto top("");
  ReadMessage(top, bytes, [&](uint32_t field, int type, Proto& p) {
    if (field != 1) return false;
    if (p.Want(type, kLen)) ReadResourceSpans(p, p.Bytes(), request.emplace_back());
    return true;
  });
  if (!top.ok()) return Invalid("body: not an OTLP ExportTraceServiceRequest: " + top.error());
  return request;
}

Result<std::pair<int64_t, std::string>> DecodeOtlpResponseProto(std::string_view bytes) {
  std::pair<int64_t, std::string> out;
  Proto top("");
  ReadMessage(top, bytes, [&](uint32_t field, int type, Proto& p) {
    if (field != 1 || !p.Want(type, kLen)) return false;
    ReadMessage(p, p.Bytes(), [&](uint32_t f, int t, Proto& q) {
      if (f == 1 && q.Want(t, kVarint)) return out.first = static_cast<int64_t>(q.Varint()), true;
      if (f == 2 && q.Want(t, kLen)) return out.second = q.String("error_message"), true;
      return false;
    });
    return true;
  });
  if (!top.ok()) return Invalid("not an OTLP ExportTraceServiceResponse: " + top.error());
  return out;
}

std::string OtlpResponseProto(int64_t rejected, const std::string& message) {
  if (rejected == 0 && message.empty()) return "";
  std::string partial, out;
  PutUint(partial, 1, static_cast<uint64_t>(rejected));
  PutBytes(partial, 2, message);
  PutMessage(out, 1, partial);
  return out;
}

}  // namespace weft
