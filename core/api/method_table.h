// The trace server's methods, one row each (SQLite's aBuiltinFunc[] is the
// model): the interface name, the function, whether it writes, how its
// request and answer travel, and its HTTP paths. Front ends derive from it:
// weft serve's routes and the read-only rule of weft ui (http/routes.cc),
// and a unit test holds the CLI's command table to it. A new method is its
// implementation and one row here (ARCHITECTURE.md#adding-a-method).
#pragma once

#include <array>
#include <span>
#include <string_view>

#include "core/api/context.h"

namespace weft {

using Method = Result<Json> (*)(const Json& req, Context& ctx);
// The same method from its request's JSON text, appending its answer to
// out as CompactDumps would write it, where it has a way that builds no
// JSON tree for either (call_upsert_batch).
using TextMethod = Status (*)(std::string_view text, Context& ctx, std::string& out);
// The same method appending its answer to out as CompactDumps would write
// it, where it has a way that builds no JSON tree for it (calls_query).
using TextAnswer = Status (*)(const Json& req, Context& ctx, std::string& out);

enum class Access { kRead, kWrite };

// How a method's request and answer travel besides JSON in, JSON out.
enum class Io {
  kJson,
  kStream,    // answers each result through Context::emit (HTTP: NDJSON)
  kBytesIn,   // the request's `content` is bytes (HTTP: a multipart upload)
  kBytesOut,  // the answer's `content` is bytes (HTTP: the raw bytes)
  kOtlp,      // HTTP: the body is an OTLP request (protobuf or JSON), answered as OTLP
};

struct MethodRow {
  std::string_view name;  // the interface's: "obj_create"
  Method fn;
  Access access;
  Io io = Io::kJson;
  // Paths in Weave's HTTP API (without the leading '/'; "{name}" stands
  // for any one path segment, as in "v2/{entity}/{project}/call/start");
  // none for a method the CLI alone offers.
  std::array<std::string_view, 2> http = {};
  TextMethod from_text = nullptr;
  TextAnswer answer_text = nullptr;
};

std::span<const MethodRow> MethodTable();

// The row of an interface name, or nullptr.
const MethodRow* FindMethod(std::string_view name);

}  // namespace weft
