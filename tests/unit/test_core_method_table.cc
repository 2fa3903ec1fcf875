// The method table (core/api/method_table.h) against the front ends: every
// method is reachable from the CLI's command table, and from HTTP unless it
// is one the CLI alone offers; every command names a method of the table.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "cli/commands.h"
#include "core/api/method_table.h"
#include "core/api/trace_server.h"

using namespace weft;

TEST_CASE("every method is reachable from the CLI, and from HTTP unless listed as CLI-only") {
  // Not in Weave's HTTP API: ops are objects there, import and project
  // creation are the CLI's; deleting and renaming projects are weft's own.
  const std::set<std::string_view> cli_only = {"calls_import",
                                               "op_create",
                                               "op_read",
                                               "ops_query",
                                               "cost_import",
                                               "project_delete",
                                               "ensure_project_exists",
                                               "project_rename"};
  // Other paths of a method the CLI has: call start and call end.
  const std::set<std::string_view> http_only = {"call_start_v2", "call_end_v2"};
  // Reached through weft's own commands, which print them as text: calls
  // diff, eval compare.
  const std::set<std::string_view> own = {"calls_diff", "evaluations_compare"};
  std::set<std::string_view> commands;
  for (const auto& command : cli::Commands()) {
    CHECK_MESSAGE(FindMethod(command.method) != nullptr, command.method);
    commands.insert(command.method);
  }
  std::set<std::string_view> paths;
  for (const MethodRow& row : MethodTable()) {
    CHECK_MESSAGE(
        (commands.count(row.name) > 0) != (http_only.count(row.name) + own.count(row.name) > 0),
        row.name);
    CHECK_MESSAGE(row.http[0].empty() == (cli_only.count(row.name) > 0), row.name);
    for (std::string_view path : row.http)
      if (!path.empty()) CHECK_MESSAGE(paths.insert(path).second, path);  // one method a path
    CHECK(FindMethod(row.name) == &row);
  }
}

TEST_CASE("a streaming method cannot be called without a sink") {
  Context ctx;
  auto r = CallMethod("calls_query_stream", Json{{"project_id", "e/p"}}, ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("needs a sink") != std::string::npos);
}

TEST_CASE("every command group has a line for --help") {
  for (const weft::cli::CommandSpec& c : weft::cli::Commands())
    CHECK_MESSAGE(*weft::cli::GroupSummary(c.group), c.group);
}
