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

int RunJunitImport(const JunitOptions& o, const Globals& globals) {
  std::stringstream text;
  if (o.report == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(o.report, std::ios::binary);
    if (!in) return Fail(2, "cannot read " + o.report);
    text << in.rdbuf();
  }
  auto cases = ReadJunit(text.str());
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

  // Times: each suite's timestamp (else now less the report's time), its
  // cases one after another.
  double total = 0;
  for (const TestCase& t : *cases) total += t.seconds;
  Micros now = NowMicros(), first = now - static_cast<Micros>(total * 1e6);
  Json batch = Json::array();
  std::string report_call = NewSpanId();
  std::string under = parent.empty() ? report_call : parent;
  std::map<std::string, Micros> clock;  // per suite
  size_t failed = 0, skipped = 0;
  Micros earliest = INT64_MAX, latest = INT64_MIN;
  for (const TestCase& t : *cases) {
    auto [it, fresh] = clock.emplace(t.suite, t.suite_start.value_or(first));
    Micros started = it->second, ended = started + static_cast<Micros>(t.seconds * 1e6);
    it->second = ended;
    earliest = std::min(earliest, started), latest = std::max(latest, ended);
    std::string op = t.classname.empty() ? t.name : t.classname + "." + t.name;
    Json start = {{"project_id", s.project()},
                  {"id", NewSpanId()},
                  {"trace_id", root["trace_id"]},
                  {"parent_id", under},
                  {"op_name", op.substr(0, 127)},
                  {"started_at", FormatTime(started)},
                  {"inputs", {{"classname", t.classname}, {"name", t.name}}},
                  {"attributes", {{"junit", {{"suite", t.suite}, {"outcome", t.outcome}}}}}};
    if (op.size() > 127) start["display_name"] = op.substr(0, 1023);
    AddCall(batch, start, TestCaseEnd(t, ended));
    failed += t.outcome == "failure" || t.outcome == "error";
    skipped += t.outcome == "skipped";
  }
  if (parent.empty()) {  // the report itself, as the tests' root
    Json start = {{"project_id", s.project()},
                  {"id", report_call},
                  {"trace_id", root["trace_id"]},
                  {"op_name", "junit"},
                  {"display_name", o.report == "-" ? "junit report" : o.report},
                  {"started_at", FormatTime(cases->empty() ? now : earliest)},
                  {"inputs", {{"report", o.report}}},
                  {"attributes", Json::object()}};
    Json end = {{"ended_at", FormatTime(cases->empty() ? now : latest)},
                {"output", {{"tests", cases->size()}, {"failed", failed}, {"skipped", skipped}}},
                {"summary", Json::object()}};
    if (failed)
      end["exception"] =
          std::to_string(failed) + " of " + std::to_string(cases->size()) + " tests failed";
    AddCall(batch, start, end);
  }
  auto r = CallMethod("call_upsert_batch", {{"batch", batch}}, s.ctx());
  if (!r.ok()) return Fail(r.error());
  PrintJson(Json{{"imported", cases->size()},
                 {"failed", failed},
                 {"skipped", skipped},
                 {"trace_id", root["trace_id"]},
                 {"parent_id", under}},
            false);
  return 0;
}

}  // namespace weft::cli
