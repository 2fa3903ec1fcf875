// Calls as they happen: the latest calls, then (with --follow) each new call
// when it starts and again when it ends, found by looking at the store every
// --interval seconds (a read transaction each time; writers never wait).
#include "cli/tail.h"

#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "cli/tree.h"
#include "cli/view.h"
#include "core/api/method_table.h"

namespace weft::cli {
namespace {

Result<Json> Calls(Session& s, Json req) {
  req["project_id"] = s.project();
  req["columns"] = {"id",        "op_name", "display_name", "started_at", "ended_at",
                    "exception", "inputs",  "output",       "summary"};
  WEFT_ASSIGN(Json res, CallMethod("calls_query", req, s.ctx()));
  return res["calls"];
}

// "12:03:04  ✓ build  1.2s  $ make → exit 0": the time it started, or ended.
void Show(const Json& call, bool color) {
  const Json& at = call["ended_at"].is_string() ? call["ended_at"] : call["started_at"];
  std::string time = at.get<std::string>().substr(11, 8);
  std::printf("%s  %s\n", time.c_str(), CallLine(call, color).c_str());
  std::fflush(stdout);
}

}  // namespace

void SetupTail(CLI::App* cmd, TailOptions& o) {
  cmd->add_option("-n,--last", o.last, "how many of the latest calls to show first (default 10)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("-f,--follow", o.follow, "keep watching until interrupted");
  cmd->add_option("--interval", o.interval, "seconds between looks at the store (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->fallthrough();
  cmd->footer(
      "Times are UTC; a running call shows again when it ends.\nExample:\n  weft calls tail -f");
}

int RunTail(const TailOptions& o, const Globals& globals) {
  Session s(globals);
  if (Status st = s.UseOnlyProject(); !st.ok()) return Fail(st.error());
  bool color = UseColor(globals.color);
  // The latest calls (at least one, to know where following starts).
  auto latest = Calls(s, {{"sort_by", {{{"field", "started_at"}, {"direction", "desc"}}}},
                          {"limit", std::max(o.last, 1)}});
  if (!latest.ok()) return Fail(latest.error());
  std::set<std::string> running, seen;
  std::string since = "1970-01-01T00:00:00Z";
  for (size_t i = latest->size(); i-- > 0;) {
    const Json& c = (*latest)[i];
    seen.insert(c["id"]);
    since = std::max(since, c["started_at"].get<std::string>());
    if (static_cast<int>(i) >= o.last) continue;
    Show(c, color);
    if (!c["ended_at"].is_string()) running.insert(c["id"]);
  }
  while (o.follow) {
    std::this_thread::sleep_for(std::chrono::duration<double>(o.interval));
    // Calls started since the last one seen (the same instant again, for ties).
    auto started = Calls(
        s,
        {{"query", {{"$expr", {{"$gte", {{{"$getField", "started_at"}}, {{"$literal", since}}}}}}}},
         {"sort_by", {{{"field", "started_at"}, {"direction", "asc"}}}}});
    if (!started.ok()) return Fail(started.error());
    for (const Json& c : *started) {
      if (!seen.insert(c["id"].get<std::string>()).second) continue;
      Show(c, color);
      if (!c["ended_at"].is_string()) running.insert(c["id"]);
      since = std::max(since, c["started_at"].get<std::string>());
    }
    if (running.empty()) continue;
    auto ended = Calls(
        s, {{"filter", {{"call_ids", std::vector<std::string>(running.begin(), running.end())}}}});
    if (!ended.ok()) return Fail(ended.error());
    for (const Json& c : *ended)
      if (c["ended_at"].is_string()) Show(c, color), running.erase(c["id"].get<std::string>());
  }
  return 0;
}

}  // namespace weft::cli
