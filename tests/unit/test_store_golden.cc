// Records byte for byte (store/FORMAT.md): a format change fails here until
// the document and the golden files under tests/unit/golden/ change with it.
// Also: CallSchema's two writers agree byte for byte on every call field.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/api/export.h"
#include "core/api/load.h"
#include "core/calls/call_record.h"
#include "core/calls/call_text.h"
#include "core/records/records.h"
#include "server_fixture.h"
#include "store/store.h"

using namespace weft;

namespace {

std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += kDigits[c >> 4], out += kDigits[c & 15];
  return out;
}

std::string Golden(const char* name) {
  std::ifstream in(std::string(WEFT_GOLDEN_DIR) + "/" + name);
  std::string hex;
  in >> hex;
  return hex;
}

// A call with the fields weft 0.1 stored.
CallRecord LegacyCall() {
  CallRecord c;
  c.id = "0193a4b2-0000-7000-8000-000000000001";
  c.op_name = "weave:///e/p/op/f:abc";
  c.trace_id = "0193a4b2-0000-7000-8000-000000000000";
  c.parent_id = "0193a4b2-0000-7000-8000-000000000002";
  c.wb_user_id = "user";
  c.started_at = 1700000000000000;
  c.ended_at = 1700000000250000;
  c.inputs = R"({"x":"weave:///e/p/object/o:d"})";
  c.input_refs = {"weave:///e/p/object/o:d"};
  c.output = "3";
  c.summary = R"({"usage":{}})";
  return c;
}

// A call with every field set.
CallRecord FullCall() {
  CallRecord c = LegacyCall();
  c.display_name = "named";
  c.exception = "ValueError: no";
  c.wb_run_id = "e/p/run1";
  c.attributes = R"({"weave":{"client_version":"0.51"}})";
  c.output_refs = {"weave:///e/p/object/out:d2"};
  c.thread_id = "thread-1";
  c.turn_id = "0193a4b2-0000-7000-8000-000000000001";
  c.wb_run_step = 7;
  c.wb_run_step_end = -1;
  c.otel_dump = R"({"name":"f","kind":1})";
  return c;
}

}  // namespace

TEST_CASE("a call record of weft 0.1's fields is the bytes it always was") {
  std::string bytes = EncodeCall(LegacyCall());
  CHECK_MESSAGE(Hex(bytes) == Golden("call_record_v1.hex"), "now: ", Hex(bytes));
  auto back = DecodeCall(bytes);
  REQUIRE(back.ok());
  CHECK(EncodeCall(*back) == bytes);
  CHECK_FALSE(back->thread_id);
  CHECK(back->otel_dump.empty());
}

TEST_CASE("a call record with every field") {
  std::string bytes = EncodeCall(FullCall());
  CHECK_MESSAGE(Hex(bytes) == Golden("call_record_full.hex"), "now: ", Hex(bytes));
  auto back = DecodeCall(bytes);
  REQUIRE(back.ok());
  CHECK(EncodeCall(*back) == bytes);
  CHECK(back->thread_id == "thread-1");
  CHECK(back->wb_run_step == 7);
  CHECK(back->wb_run_step_end == -1);
  CHECK(back->otel_dump == R"({"name":"f","kind":1})");
  CHECK(back->output_refs == std::vector<std::string>{"weave:///e/p/object/out:d2"});
  // Cut anywhere, it is corrupt, never misread.
  for (size_t n = 1; n < bytes.size(); ++n) CHECK_FALSE(ViewCall(bytes.substr(0, n)).ok());
}

TEST_CASE("CallSchema's JSON and text writers agree byte for byte on every field") {
  for (const CallRecord& c : {LegacyCall(), FullCall(), CallRecord{}}) {
    Json schema = CallSchema(c, "e/p");
    std::string text;
    AppendCallSchemaText(text, c, "e/p", false);
    CHECK(text == CompactDumps(schema));
    for (const CallFieldInfo& f : kCallFields) CHECK(schema.contains(f.name) == f.shown());
    for (const std::vector<std::string>& columns :
         {std::vector<std::string>{},
          {"id", "exception"},
          {"inputs.a", "summary", "attributes"},
          {"output", "display_name", "thread_id", "wb_run_step"}}) {
      std::string some;
      AppendCallSchemaText(some, c, "e/p", false, &columns);
      CHECK(some == CompactDumps(CallSchema(c, "e/p", &columns)));
    }
  }
  std::string with_dump;
  AppendCallSchemaText(with_dump, FullCall(), "e/p", true);
  CHECK(ParseJson(with_dump, "t")->at("otel_dump") == Json{{"name", "f"}, {"kind", 1}});
  CHECK(CallSchema(FullCall(), "e/p")["wb_run_step"] == 7);
}

namespace {

// Every record of a store, a line each: sub-database, key and value in hex
// (a project's created_at, the time of the test's run, left out).
std::string DumpStore(testing::Server& s) {
  std::string out;
  Status st = s.ctx.store->Read([&](Txn& txn) -> Status {
    for (int db = 0; db < static_cast<int>(Db::kCount); ++db)
      WEFT_TRY(
          txn.ForEach(static_cast<Db>(db), "", [&](std::string_view key, std::string_view value) {
            out += std::to_string(db) + " " + Hex(key) + " " +
                   (static_cast<Db>(db) == Db::kProjects ? "-" : Hex(value)) + "\n";
            return true;
          }));
    return Status::OK();
  });
  REQUIRE(st.ok());
  return out;
}

}  // namespace

TEST_CASE("a store of one record of each kind is the bytes store/FORMAT.md describes") {
  // Made through the methods, exported, given fixed times and ids, and
  // loaded into a fresh store: the same bytes every run.
  testing::Server a, b;
  std::string t =
      a.Ok("table_create", {{"table", {{"project_id", "e/p"}, {"rows", {{{"q", 1}}}}}}})["digest"];
  a.Ok("obj_create", {{"obj",
                       {{"project_id", "e/p"},
                        {"object_id", "ds"},
                        {"val", {{"rows", "weave:///e/p/table/" + t}}}}}});
  a.Ok("file_create", {{"project_id", "e/p"}, {"name", "a.py"}, {"content", "print(1)\n"}});
  a.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", "0193a4b2-0000-7000-8000-000000000001"},
                        {"trace_id", "0af7651916cd43dd8448eb211c80319c"},
                        {"op_name", "f"},
                        {"started_at", "2024-01-01T00:00:00Z"},
                        {"attributes", Json::object()},
                        {"inputs", {{"x", 1}}},
                        {"display_name", "named"},
                        {"thread_id", "th"}}}});
  a.Ok("call_end", {{"end",
                     {{"project_id", "e/p"},
                      {"id", "0193a4b2-0000-7000-8000-000000000001"},
                      {"ended_at", "2024-01-01T00:00:01.5Z"},
                      {"output", 2},
                      {"summary", Json::object()}}}});
  a.Ok("feedback_create", {{"project_id", "e/p"},
                           {"weave_ref", "weave:///e/p/object/ds:x"},
                           {"feedback_type", "note"},
                           {"payload", {{"note", "ok"}}}});
  std::vector<std::string> lines;
  REQUIRE(Export(a.ctx, ExportOptions{}, [&](std::string_view r) {
            return lines.emplace_back(r), true;
          }).ok());
  Loader loader(b.ctx);
  for (const std::string& line : lines) {
    Json record = *ParseJson(line, "line");
    for (auto& [kind, body] : record.items()) {
      if (body.contains("created_at")) body["created_at"] = "2024-01-02T03:04:05.123456Z";
      if (kind == "feedback") body["id"] = "0193a4b2-0000-7000-8000-0000000000fb";
    }
    REQUIRE(loader.Add(record, "line").ok());
  }
  REQUIRE(loader.Flush().ok());
  std::string dump = DumpStore(b);
  std::ifstream in(std::string(WEFT_GOLDEN_DIR) + "/store.txt");
  std::stringstream golden;
  golden << in.rdbuf();
  CHECK_MESSAGE(dump == golden.str(), "now:\n", dump);
}
