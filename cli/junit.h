// JUnit XML both ways (docs/command-line.md#junit): calls written as a
// report that CI servers show as test results (--format junit), and a
// report's test cases read as calls (weft junit import).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/status.h"

namespace weft::cli {

// CallSchema calls as one JUnit report: a testsuite per project, a
// testcase per call; errors are failures, running calls skipped.
std::string JunitReport(const std::vector<Json>& calls);

// One <testcase> of a report, as read.
struct TestCase {
  std::string suite, classname, name;
  double seconds = 0;
  std::string outcome = "passed";  // passed, failure, error, skipped
  std::string message, detail;     // of the failure, error or skip
  std::string stdout_tail, stderr_tail;
  std::optional<Micros> suite_start;  // the testsuite's timestamp
};

// The test cases of a JUnit report (pytest, Surefire / JUnit 5,
// go-junit-report shapes): <testsuites> or a lone <testsuite>, suites
// nested or not.
Result<std::vector<TestCase>> ReadJunit(std::string_view xml);

struct Globals;  // cli/session.h

// `weft junit import REPORT [--parent ID]`.
struct JunitOptions {
  std::string report, parent;
};
void SetupJunitImport(CLI::App* cmd, JunitOptions& opts);
int RunJunitImport(const JunitOptions& opts, const Globals& globals);

}  // namespace weft::cli
