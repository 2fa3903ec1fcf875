// weft export / import over core/transfer, and the hand-over of weft push /
// pull to the weft-remote helper (which links libcurl).
#include "cli/transfer.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "base/ids.h"
#include "cli/environment.h"
#include "cli/helper.h"
#include "cli/line_reader.h"
#include "cli/request.h"
#include "core/api/call_span.h"
#include "core/api/export.h"
#include "core/api/load.h"

namespace weft::cli {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

Result<std::optional<Micros>> SinceOf(const std::string& since) {
  if (since.empty()) return std::optional<Micros>();
  WEFT_ASSIGN(std::string t, TimeArgument(since, "--since"));
  return ParseTime(t);
}

}  // namespace

int RunExport(const TransferOptions& t, const Globals& globals) {
  Session s(globals);
  if (!t.trace.empty())
    if (Status st = s.UseOnlyProject(); !st.ok()) return Fail(st.error());
  if (!t.trace.empty() && (s.project().empty() || t.format != "weft" || !t.since.empty()))
    return Fail(
        2, "export --trace: give the project (--project), and neither --since nor --format otlp");
  ExportOptions opts;
  if (!s.project().empty()) opts.project = s.project();
  auto since = SinceOf(t.since);
  if (!since.ok()) return Fail(since.error());
  opts.since = *since;
  FILE* out = stdout;
  if (t.output != "-" && !(out = std::fopen(t.output.c_str(), "w")))
    return Fail(1, "cannot write " + t.output + ": " + std::strerror(errno));
  std::setvbuf(out, nullptr, _IOFBF, size_t{1} << 20);  // a write(2) a MiB, not a 4 KiB page
  auto write = [&](std::string_view record) {
    return std::fwrite(record.data(), 1, record.size(), out) == record.size() &&
           std::fputc('\n', out) != EOF;
  };
  bool written = true;
  Status st;
  if (t.format == "otlp") {  // one OTLP JSON request a trace (docs/otel.md#otlp-out), no header
    auto projects = opts.project ? Result<std::vector<std::string>>(std::vector{*opts.project})
                                 : ListProjects(s.ctx());
    st = projects.ok() ? Status::OK() : Status(projects.error());
    for (size_t i = 0; st.ok() && written && projects.ok() && i < projects->size(); ++i)
      st = ExportOtlp(s.ctx(), (*projects)[i], opts.since, [&](const OtelRequest& r) {
        return written = write(CompactDumps(OtlpJson(r)));
      });
  } else {
    // The header goes with the first record: a trace that is not there writes nothing.
    bool headed = false;
    auto records = [&](std::string_view record) {
      if (!headed) headed = true, written = write(CompactDumps(ExportHeader()));
      return written = written && write(record);
    };
    st = t.trace.empty() ? Export(s.ctx(), opts, records)
                         : ExportTrace(s.ctx(), s.project(), t.trace, records);
    if (st.ok() && !headed)
      written = write(CompactDumps(ExportHeader()));  // an empty store exports its header
  }
  written = written && std::ferror(out) == 0;
  if ((out == stdout ? std::fflush(out) : std::fclose(out)) != 0) written = false;
  if (!st.ok()) return Fail(st.error());
  if (!written)
    return Fail(1, "cannot write " + (t.output == "-" ? std::string("standard output") : t.output));
  return 0;
}

// An export's first line: {"weft_export": N}, of a format this weft reads.
Status CheckHeader(std::string_view line, const std::string& where) {
  WEFT_ASSIGN(Json h, ParseJson(line, where));
  if (!h.is_object() || !h.contains("weft_export") || !h["weft_export"].is_number_integer())
    return Invalid(where + ": not a weft export (expected the header {\"weft_export\": N})");
  if (h["weft_export"].get<int>() > kExportFormat)
    return Invalid(where + ": export format " + h["weft_export"].dump() +
                   " is newer than this weft reads (" + std::to_string(kExportFormat) +
                   "): upgrade weft");
  return Status::OK();
}

int RunImport(const TransferOptions& t, const Globals& globals) {
  auto started = std::chrono::steady_clock::now();
  auto max_line = ParseSize(t.max_line);
  if (!max_line || *max_line == 0)
    return Fail(2, "--max-line: expected a size like 256MiB, got '" + t.max_line + "'");
  std::ifstream file;
  std::istream* in = &std::cin;
  if (t.input != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(t.input, ec))
      return Fail(2, "import: " + t.input + " is a folder, not an export");
    file.open(t.input, std::ios::binary);
    if (!file) return Fail(1, "cannot read " + t.input + ": " + std::strerror(errno));
    in = &file;
  }
  Session s(globals);
  std::string destination = t.to_project.empty() ? s.project() : t.to_project;
  if (!destination.empty())
    if (Status st = CheckProjectId(destination, "--to-project"); !st.ok()) return Fail(st.error());
  Loader loader(s.ctx(), {destination, t.replace});
  bool tty = isatty(STDERR_FILENO);
  LineReader lines(*in, *max_line);
  bool header = false;
  while (true) {
    auto next = lines.Next();
    if (!next.ok()) return Fail(next.error());
    if (!*next) break;
    std::string_view line = **next;
    size_t number = lines.number();
    std::string where = "line " + std::to_string(number);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Status st = header ? loader.AddText(line, where) : CheckHeader(line, where);
    if (!st.ok()) return Fail(st.error());
    header = true;
    if (tty && number % 10000 == 0) std::fprintf(stderr, "\rweft: read %zu lines", number);
  }
  if (in->bad()) return Fail(1, "cannot read " + t.input);
  if (!header) return Fail(2, "the input is empty: not a weft export");
  if (Status st = loader.Flush(); !st.ok()) return Fail(st.error());
  for (const auto& w : s.ctx().warnings) Warn(w);
  std::fprintf(stderr, "%simported %s in %.1f s\n", tty ? "\r" : "",
               DescribeCounts(loader.counts()).c_str(), Seconds(started));
  return 0;
}

namespace {

// push and pull run in weft-remote: the job goes over as JSON on its
// command line (no secrets: the API key stays in the environment).
int RunRemote(const char* command, const TransferOptions& t, const Globals& globals) {
  Session s(globals);
  auto since = SinceOf(t.since);
  if (!since.ok()) return Fail(since.error());
  if (!t.otlp.empty() && !t.url.empty())
    return Fail(2, "--otlp: give either --to (a Weave server) or --otlp");
  std::string headers;  // to the helper in its environment: they may hold a vendor's key
  for (const std::string& h : t.headers) {
    if (h.find('=') == std::string::npos || h.front() == '=')
      return Fail(2, "--header: expected NAME=VALUE, got '" + h + "'");
    headers += (headers.empty() ? "" : ",") + h;
  }
  if (!headers.empty()) setenv("WEFT_OTLP_HEADERS", headers.c_str(), 1);
  Json job = {{"command", command},      {"store", s.store_path()},
              {"project", s.project()},  {"url", t.otlp.empty() ? t.url : t.otlp},
              {"otlp", !t.otlp.empty()}, {"to_project", t.to_project},
              {"dry_run", t.dry_run},    {"create_project", !t.no_create_project},
              {"ca_file", t.ca_file},    {"trace_ids", t.trace_ids},
              {"op_names", t.op_names},  {"limit", t.limit},
              {"user", FindUser()},      {"wait", FindWait(globals.wait)},
              {"replace", t.replace},    {"all", t.all}};
  if (*since) job["since"] = FormatTime(**since);
  return ExecHelper("weft-remote", job);
}

}  // namespace

int RunPush(const TransferOptions& t, const Globals& globals) {
  return RunRemote("push", t, globals);
}

int RunPull(const TransferOptions& t, const Globals& globals) {
  return RunRemote("pull", t, globals);
}

void SetupExport(CLI::App* cmd, TransferOptions& t) {
  cmd->add_option("-o,--output", t.output, "file to write, or - for standard output (default)");
  cmd->add_option("--since", t.since,
                  "only calls started and feedback given since TIME or 1h, 7d, ...");
  cmd->add_option("--trace", t.trace,
                  "only this trace, with everything it refers to (weft ui FILE opens it)");
  cmd->add_option("--format", t.format,
                  "weft (every record, the default) or otlp (calls as OTLP JSON, a trace a line)")
      ->check(CLI::IsMember({"weft", "otlp"}));
  cmd->footer(
      "Without --project, every project of the store. The format: docs/transfer.md.\n"
      "Example:\n  weft --project acme/app export -o app.ndjson\n"
      "  weft export --trace \"$WEFT_TRACE_ID\" -o trace.ndjson");
}

void SetupImport(CLI::App* cmd, TransferOptions& t) {
  cmd->add_option("file", t.input, "the export, or - for standard input")->required();
  cmd->add_option("--to-project", t.to_project,
                  "ENTITY/PROJECT to write every record to (default --project)");
  cmd->add_flag("--replace", t.replace,
                "replace calls the store holds with other content (kept otherwise)");
  cmd->add_option("--max-line", t.max_line, "longest line taken, e.g. 256MiB (default)");
  cmd->footer(
      "Every record goes to --to-project, else --project (its refs rewritten); without\n"
      "either, each keeps its own project.\n"
      "Example:\n  weft --store /tmp/copy import app.ndjson");
}

void SetupPush(CLI::App* cmd, TransferOptions& t) {
  cmd->add_option("--to", t.url, "the trace server's URL (env WF_TRACE_SERVER_URL)");
  cmd->add_option("--to-project", t.to_project, "ENTITY/PROJECT there (default: the same name)");
  cmd->add_option("--since", t.since,
                  "only calls started and feedback given since TIME or 1h, 7d, ...");
  cmd->add_option("--otlp", t.otlp,
                  "send the calls as OTLP/HTTP spans to this endpoint (any OTel backend) instead");
  cmd->add_option("--header", t.headers,
                  "with --otlp: NAME=VALUE sent with every request (repeat), e.g. a vendor's key");
  cmd->add_flag("--dry-run", t.dry_run, "print what would be sent, send nothing");
  cmd->add_flag("--no-create-project", t.no_create_project,
                "do not create the project (GraphQL upsertModel)");
  cmd->add_option("--ca-file", t.ca_file, "PEM certificates to trust instead of the system's");
  cmd->footer(
      "Auth: WANDB_API_KEY, else ~/.netrc for the host. Sends only what changed since the\n"
      "last push to the same server and project.\n"
      "With --otlp, OTLP/HTTP protobuf (gzip) to any OTel backend; headers also from\n"
      "OTEL_EXPORTER_OTLP_HEADERS.\n"
      "Example:\n  weft --project acme/app push --to https://trace.wandb.ai --to-project team/app\n"
      "  weft --project acme/app push --otlp http://localhost:4318/v1/traces");
}

void SetupPull(CLI::App* cmd, TransferOptions& t) {
  cmd->add_option("--from", t.url, "the trace server's URL (env WF_TRACE_SERVER_URL)");
  cmd->add_option("--to-project", t.to_project, "ENTITY/PROJECT here (default: the same name)");
  cmd->add_option("--since", t.since, "only calls started since TIME or 1h, 7d, ...");
  cmd->add_option("--trace-id", t.trace_ids, "only these traces (repeat)");
  cmd->add_option("--op", t.op_names, "only calls of these ops, by name or ref (repeat)");
  cmd->add_option("--limit", t.limit, "at most N calls")->check(CLI::PositiveNumber);
  cmd->add_option("--ca-file", t.ca_file, "PEM certificates to trust instead of the system's");
  cmd->add_flag("--replace", t.replace,
                "replace calls the store holds with other content (kept otherwise)");
  cmd->add_flag("--all", t.all,
                "the whole project: every object version and all feedback too, not only what "
                "the calls refer to");
  cmd->footer(
      "Example:\n  weft --project team/app pull --from https://trace.wandb.ai --since 1d\n  weft "
      "--project team/app pull --from https://trace.wandb.ai --all");
}

}  // namespace weft::cli
