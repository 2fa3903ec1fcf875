// A trace server on a store in a temporary folder, made once per fuzzing
// process and seeded with a few calls, objects and feedback, for the
// targets that run requests.
#pragma once

#include <cstdlib>
#include <string>

#include "core/api/trace_server.h"

namespace weft::fuzz {

inline Context& Server() {
  static TraceServer* server = [] {
    char dir[] = "/tmp/weft-fuzz-XXXXXX";
    auto* s = new TraceServer(std::string(mkdtemp(dir)) + "/store");
    s->ctx().find_user = [] { return std::string("fuzz"); };
    for (int i = 0; i < 3; ++i) {
      std::string id = "0190a000-0000-7000-8000-00000000000" + std::to_string(i);
      (void)CallMethod("call_upsert_batch", Json::parse(R"({"batch": [
        {"mode": "start", "req": {"start": {"project_id": "f/z", "id": ")" + id + R"(", "trace_id": "t1",
          "op_name": "weave:///f/z/op/f:abc", "started_at": "2024-01-01T00:00:0)" + std::to_string(i) + R"(Z",
          "attributes": {"a": [1, "x"]}, "inputs": {"x": {"y": )" + std::to_string(i) + R"(}}}}},
        {"mode": "end", "req": {"end": {"project_id": "f/z", "id": ")" + id + R"(", "ended_at": "2024-01-01T00:00:09Z",
          "summary": {"usage": {"m": {"requests": 1}}}, "output": "o"}}}]})"), s->ctx());
    }
    (void)CallMethod("obj_create", Json::parse(R"({"obj": {"project_id": "f/z", "object_id": "o", "val": {"k": [1, 2]}}})"), s->ctx());
    (void)CallMethod("feedback_create", Json::parse(R"({"project_id": "f/z", "weave_ref": "weave:///f/z/call/t1",
      "feedback_type": "wandb.note.1", "payload": {"note": "n"}})"), s->ctx());
    return s;
  }();
  return server->ctx();
}

}  // namespace weft::fuzz
