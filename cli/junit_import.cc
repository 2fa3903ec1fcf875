// weft junit import: a JUnit report's test cases as calls under the step
// that ran them (docs/command-line.md#junit).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "base/ids.h"
#include "cli/environment.h"
#include "cli/junit.h"
#include "cli/nesting.h"
#include "cli/output.h"
#include "cli/session.h"

namespace weft::cli {
namespace {

// The start and end items of one call for call_upsert_batch.
void AddCall(Json& batch, const Json& start, Json end) {
  batch.push_back({{"mode", "start"}, {"req", {{"start", start}}}});
  end["project_id"] = start["project_id"];
  end["id"] = start["id"];
  batch.push_back({{"mode", "end"}, {"req", {{"end", std::move(end)}}}});
}

Json TestCaseEnd(const TestCase& t, Micros ended) {
  Json output = {{"outcome", t.outcome}};
  if (!t.stdout_tail.empty()) output["stdout_tail"] = t.stdout_tail;
  if (!t.stderr_tail.empty()) output["stderr_tail"] = t.stderr_tail;
  if (t.outcome == "skipped" && !t.message.empty()) output["reason"] = t.message;
  Json end = {{"ended_at", FormatTime(ended)}, {"output", output}, {"summary", Json::object()}};
  if (t.outcome == "failure" || t.outcome == "error") {
    std::string exception = t.message.empty() ? t.outcome : t.message;
    if (t.detail.starts_with(exception))
      exception = t.detail;  // the message repeated in the text
    else if (!t.detail.empty())
      exception += "\n" + t.detail;
    end["exception"] = exception;
  }
  return end;
}

}  // namespace

void SetupJunitImport(CLI::App* cmd, JunitOptions& o) {
  cmd->add_option("report", o.report, "the JUnit XML report, or - for standard input")->required();
  cmd->add_option("--parent", o.parent,
                  "the call the tests ran under (env WEFT_PARENT_ID); without one, a root call");
  cmd->footer(
      "Outcome, time, message and captured output of each test case; pytest, Surefire/JUnit 5 and\n"
      "go-junit-report reports.\nExample:\n  weft exec --op test -- sh -c 'pytest "
      "--junitxml=r.xml; weft junit import r.xml'");
}

namespace {

Result<std::string> ReadReport(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Invalid("cannot read " + path);
    text << in.rdbuf();
  }
  return text.str();
}

// What the test cases came to: their time span and tallies.
struct Recorded {
  Micros earliest = INT64_MAX, latest = INT64_MIN;
  size_t failed = 0, skipped = 0;
};

// The test cases as calls under `under`: each suite's cases one after
// another from its timestamp (else now less the report's time).
Recorded AddTestCases(Json& batch, const std::vector<TestCase>& cases, const Json& root,
                      const std::string& under, Micros now) {
  double total = 0;
  for (const TestCase& t : cases) total += t.seconds;
  Micros first = now - static_cast<Micros>(total * 1e6);
  std::map<std::string, Micros> clock;  // per suite
  Recorded r;
  for (const TestCase& t : cases) {
    auto [it, fresh] = clock.emplace(t.suite, t.suite_start.value_or(first));
    Micros started = it->second, ended = started + static_cast<Micros>(t.seconds * 1e6);
    it->second = ended;
    r.earliest = std::min(r.earliest, started), r.latest = std::max(r.latest, ended);
    std::string op = t.classname.empty() ? t.name : t.classname + "." + t.name;
    Json start = {{"project_id", root["project_id"]},
                  {"id", NewSpanId()},
                  {"trace_id", root["trace_id"]},
                  {"parent_id", under},
                  {"op_name", op.substr(0, 127)},
                  {"started_at", FormatTime(started)},
                  {"inputs", {{"classname", t.classname}, {"name", t.name}}},
                  {"attributes", {{"junit", {{"suite", t.suite}, {"outcome", t.outcome}}}}}};
    if (op.size() > 127) start["display_name"] = op.substr(0, 1023);
    AddCall(batch, start, TestCaseEnd(t, ended));
    r.failed += t.outcome == "failure" || t.outcome == "error";
    r.skipped += t.outcome == "skipped";
  }
  return r;
}

// The report itself as a call, the root of its test cases.
void AddReportCall(Json& batch, const std::string& report, const std::string& id, const Json& root,
                   size_t tests, const Recorded& r, Micros now) {
  Json start = {{"project_id", root["project_id"]},
                {"id", id},
                {"trace_id", root["trace_id"]},
                {"op_name", "junit"},
                {"display_name", report == "-" ? "junit report" : report},
                {"started_at", FormatTime(tests == 0 ? now : r.earliest)},
                {"inputs", {{"report", report}}},
                {"attributes", Json::object()}};
  Json end = {{"ended_at", FormatTime(tests == 0 ? now : r.latest)},
              {"output", {{"tests", tests}, {"failed", r.failed}, {"skipped", r.skipped}}},
              {"summary", Json::object()}};
  if (r.failed)
    end["exception"] = std::to_string(r.failed) + " of " + std::to_string(tests) + " tests failed";
  AddCall(batch, start, end);
}

}  // namespace

int RunJunitImport(const JunitOptions& o, const Globals& globals) {
  auto text = ReadReport(o.report);
  if (!text.ok()) return Fail(text.error());
  auto cases = ReadJunit(*text);
  if (!cases.ok()) return Fail(cases.error());
  Session s(globals);
  if (Status st = s.UseOnlyProject(); !st.ok()) return Fail(st.error());
  if (s.project().empty())
    return Fail(2, "--project: give the project to record the tests in (or set WEFT_PROJECT)");

  std::string parent = !o.parent.empty() ? o.parent : Env("WEFT_PARENT_ID");
  Json root = {{"project_id", s.project()}, {"trace_id", Env("WEFT_TRACE_ID")}};
  if (!parent.empty()) root["parent_id"] = parent;
  if (root["trace_id"] == "") root.erase("trace_id");
  if (Status st = TraceFromParent(root, s.ctx()); !st.ok()) return Fail(st.error());
  if (!root.contains("trace_id")) root["trace_id"] = NewTraceId();

  Micros now = NowMicros();
  Json batch = Json::array();
  std::string report_call = NewSpanId();
  std::string under = parent.empty() ? report_call : parent;
  Recorded r = AddTestCases(batch, *cases, root, under, now);
  if (parent.empty()) AddReportCall(batch, o.report, report_call, root, cases->size(), r, now);
  auto done = CallMethod("call_upsert_batch", {{"batch", batch}}, s.ctx());
  if (!done.ok()) return Fail(done.error());
  PrintJson(Json{{"imported", cases->size()},
                 {"failed", r.failed},
                 {"skipped", r.skipped},
                 {"trace_id", root["trace_id"]},
                 {"parent_id", under}},
            false);
  return 0;
}

}  // namespace weft::cli
