"""OTLP requests for tests: spans written as OTLP JSON (dicts) and the same
request encoded as protobuf by a small encoder of the trace schema
(opentelemetry-proto trace/v1, common/v1, resource/v1), so that one fixture
goes over both encodings."""
import struct


def _varint(v):
    out = bytearray()
    v &= (1 << 64) - 1
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def _field(number, wire, payload):
    return _varint(number << 3 | wire) + payload


def _bytes(number, data):
    return _field(number, 2, _varint(len(data)) + data)


def _string(number, text):
    return _bytes(number, text.encode())


def _any_value(v):
    if "stringValue" in v:
        return _string(1, v["stringValue"])
    if "boolValue" in v:
        return _field(2, 0, _varint(1 if v["boolValue"] else 0))
    if "intValue" in v:
        return _field(3, 0, _varint(int(v["intValue"])))
    if "doubleValue" in v:
        return _field(4, 1, struct.pack("<d", float(v["doubleValue"])))
    if "arrayValue" in v:
        return _bytes(5, b"".join(_bytes(1, _any_value(x)) for x in v["arrayValue"].get("values", [])))
    if "kvlistValue" in v:
        return _bytes(6, b"".join(_bytes(1, _key_value(x)) for x in v["kvlistValue"].get("values", [])))
    return b""


def _key_value(kv):
    return _string(1, kv["key"]) + _bytes(2, _any_value(kv["value"]))


def _attributes(number, items):
    return b"".join(_bytes(number, _key_value(kv)) for kv in items or [])


def _span(s):
    out = _bytes(1, bytes.fromhex(s["traceId"])) + _bytes(2, bytes.fromhex(s["spanId"]))
    if s.get("parentSpanId"):
        out += _bytes(4, bytes.fromhex(s["parentSpanId"]))
    out += _string(5, s["name"]) + _field(6, 0, _varint(s.get("kind", 1)))
    out += _field(7, 1, struct.pack("<Q", int(s["startTimeUnixNano"])))
    out += _field(8, 1, struct.pack("<Q", int(s["endTimeUnixNano"])))
    out += _attributes(9, s.get("attributes"))
    for e in s.get("events", []):
        out += _bytes(11, _field(1, 1, struct.pack("<Q", int(e["timeUnixNano"]))) + _string(2, e["name"]) +
                      _attributes(3, e.get("attributes")))
    if "status" in s:
        out += _bytes(15, _string(2, s["status"].get("message", "")) + _field(3, 0, _varint(s["status"]["code"])))
    return out


def to_protobuf(request):
    """An ExportTraceServiceRequest in OTLP JSON form, as protobuf bytes."""
    out = b""
    for rs in request["resourceSpans"]:
        body = b""
        if "resource" in rs:
            body += _bytes(1, _attributes(1, rs["resource"].get("attributes")))
        for ss in rs["scopeSpans"]:
            body += _bytes(2, _bytes(1, _string(1, "test")) + b"".join(_bytes(2, _span(s)) for s in ss["spans"]))
        out += _bytes(1, body)
    return out


def attrs(**values):
    """OTLP attributes from keyword arguments (dots as __): strings, ints, bools."""
    out = []
    for key, v in values.items():
        key = key.replace("__", ".")
        if isinstance(v, bool):
            out.append({"key": key, "value": {"boolValue": v}})
        elif isinstance(v, int):
            out.append({"key": key, "value": {"intValue": str(v)}})
        else:
            out.append({"key": key, "value": {"stringValue": v}})
    return out


def span(trace, span_id, name, parent=None, attributes=None, error=None, start=1700000000000000000, ms=250):
    s = {"traceId": trace, "spanId": span_id, "name": name, "kind": 1,
         "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + ms * 1000000),
         "attributes": attributes or []}
    if parent:
        s["parentSpanId"] = parent
    if error:
        s["status"] = {"code": 2, "message": error}
    return s


def request(spans, resource=None):
    rs = {"scopeSpans": [{"scope": {"name": "test"}, "spans": spans}]}
    if resource:
        rs["resource"] = {"attributes": resource}
    return {"resourceSpans": [rs]}
