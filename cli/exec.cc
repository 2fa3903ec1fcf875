// weft exec: start a call, run the child with the nesting variables set,
// forward signals, end the call with the exit status, and pass the status
// on. Recording problems are warnings: tracing never breaks the program.
#include "cli/exec.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "base/clock.h"
#include "base/ids.h"
#include "cli/ci_env.h"
#include "cli/environment.h"
#include "cli/nesting.h"

namespace weft::cli {
namespace {

constexpr size_t kTailBytes = 4096;  // kept of each stream with --capture

volatile sig_atomic_t g_child = 0;

void Forward(int sig) {
  // Ctrl-C and Ctrl-\ from the terminal reach the whole foreground process
  // group, the child included: sending them again would double them.
  bool from_terminal = (sig == SIGINT || sig == SIGQUIT) && tcgetpgrp(STDIN_FILENO) == getpgrp();
  if (g_child > 0 && !from_terminal) kill(g_child, sig);
}

// Keeps the last kTailBytes of what passes through.
struct Tail {
  std::string text;
  bool cut = false;  // bytes before text were dropped
  void Add(const char* data, size_t n) {
    text.append(data, n);
    if (text.size() > kTailBytes) text.erase(0, text.size() - kTailBytes), cut = true;
  }
  // What was kept, as the call's output shows it: a cut tail starts at a
  // line (or at least a character) boundary, after a "[…]" line.
  std::string Shown() const {
    if (!cut) return text;
    size_t from = text.find('\n');
    if (from != std::string::npos && from + 1 < text.size())
      return "[\u2026]\n" + text.substr(from + 1);
    size_t at = 0;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
      ++at;  // UTF-8 continuation
    return "[\u2026]" + text.substr(at);
  }
};

// Copies the child's pipes to our own stdout/stderr until both close.
void Relay(int out_fd, int err_fd, Tail& out, Tail& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  Tail* tails[2] = {&out, &err};
  int open = 2;
  char buf[8192];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
        continue;
      }
      ssize_t ignored = write(i == 0 ? STDOUT_FILENO : STDERR_FILENO, buf, n);
      (void)ignored;
      tails[i]->Add(buf, n);
    }
  }
}

// Writes the step's end (and its start, when the store was locked as it
// began) in one batch. A store still locked after a second is left to a
// background child that waits --wait for it, so that the pipeline never
// waits for the store; only a call that is lost is reported
// (docs/command-line.md#nesting).
void RecordEnd(Session& s, const Globals& globals, const Json& batch) {
  s.server().SetWriteWait(1, nullptr);  // a second, silently
  auto r = CallMethod("call_upsert_batch", {{"batch", batch}}, s.ctx());
  if (r.ok()) return;
  if (r.error().kind != ErrorKind::kBusy) return Warn("call not recorded: " + r.error().message);
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid > 0) return;
  Session again(globals);  // the parent's store handle is not for a child to use
  again.server().SetWriteWait(FindWait(globals.wait),
                              nullptr);  // the step has returned: wait silently
  auto later = CallMethod("call_upsert_batch", {{"batch", batch}}, again.ctx());
  if (!later.ok()) Warn("call not recorded: " + later.error().message);
  if (pid == 0) _exit(0);
}

Result<Json> ParseObjectFlag(const std::string& text, const char* flag) {
  if (text.empty()) return Json::object();
  WEFT_ASSIGN(Json v, ParseJson(text, flag));
  if (!v.is_object()) return Invalid(std::string(flag) + ": expected a JSON object");
  return v;
}

}  // namespace

void SetupExec(CLI::App* cmd, ExecOptions& o) {
  cmd->add_option("--op", o.op, "op name (default: the command's name)");
  cmd->add_option("--display-name", o.display_name, "display name");
  cmd->add_option("--attrs", o.attributes, "attributes, a JSON object");
  cmd->add_option("--inputs", o.inputs, "inputs added to argv and cwd, a JSON object");
  cmd->add_flag("--capture", o.capture, "keep the last 4 KiB of stdout and stderr in the output");
  cmd->add_option("command", o.argv, "the command and its arguments, after --")->required();
  cmd->fallthrough();
  cmd->footer(
      "Example:\n  weft exec --op build -- make -j4\n"
      "The command's stdin, stdout and stderr are its own; weft exits with its status\n"
      "(128+N when killed by signal N).");
}

namespace {

// A JSON-object flag of exec: a bad one is warned about and recorded as {},
// never a reason not to run the step.
Json ObjectFlagOrEmpty(const std::string& text, const char* flag) {
  auto parsed = ParseObjectFlag(text, flag);
  if (parsed.ok()) return *parsed;
  Warn(parsed.error().message + "; recorded without it");
  return Json::object();
}

// The step being traced: its ids, when it started, and whether its start
// is recorded (or left for the end, when the store was locked).
struct Step {
  std::string id, trace, parent;
  Micros started = 0;
  bool recorded = false;
  std::optional<Json> late_start;
};

// The ids of a new step: OTel-shaped, so that TRACEPARENT can name it
// (docs/otel.md#traceparent), nested under WEFT_* or a TRACEPARENT.
Step NewStep() {
  Step step;
  step.id = NewSpanId();
  step.trace = Env("WEFT_TRACE_ID");
  step.parent = Env("WEFT_PARENT_ID");
  step.started = NowMicros();
  if (step.trace.empty() && step.parent.empty())
    if (auto tp = ReadTraceparent(std::getenv("TRACEPARENT")))
      step.trace = tp->trace_id, step.parent = tp->span_id;
  return step;
}

// The call_start of a step, nested under the parent's trace when it has one.
Json StartRequest(const ExecOptions& o, Session& s, Step& step) {
  Json attributes = ObjectFlagOrEmpty(o.attributes, "--attrs");
  Json inputs = ObjectFlagOrEmpty(o.inputs, "--inputs");
  std::error_code ec;
  inputs["argv"] = o.argv;
  inputs["cwd"] = std::filesystem::current_path(ec).string();
  if (step.parent.empty()) {  // a root step in CI: what the pipeline is (--attrs win)
    Json ci = CiAttributes();
    ci.update(attributes);
    attributes = std::move(ci);
  }
  Json start = {
      {"project_id", s.project()},
      {"id", step.id},
      {"op_name", o.op.empty() ? std::filesystem::path(o.argv[0]).filename().string() : o.op},
      {"started_at", FormatTime(step.started)},
      {"attributes", attributes},
      {"inputs", inputs}};
  if (!step.trace.empty()) start["trace_id"] = step.trace;
  if (!step.parent.empty()) start["parent_id"] = step.parent;
  if (!o.display_name.empty()) start["display_name"] = o.display_name;
  if (Status st = TraceFromParent(start, s.ctx()); !st.ok()) {
    // The command runs all the same, in a trace of its own.
    Warn(st.error().message + "; recording the step in a new trace");
    start.erase("parent_id");
    step.parent.clear();
  }
  step.trace = start.value("trace_id", NewTraceId());
  start["trace_id"] = step.trace;
  return start;
}

// Records the step's start, unless there is no project; a locked store is
// not waited for: the start then goes with the end.
void RecordStart(const ExecOptions& o, Session& s, Step& step) {
  if (Status st = s.UseOnlyProject(); !st.ok())
    Warn(st.error().message + "; call not recorded");
  else if (s.project().empty())
    Warn("call not recorded: no project (set WEFT_PROJECT or --project)");
  if (s.project().empty()) return;
  Json start = StartRequest(o, s, step);
  s.SetWriteWait(0);  // tracing never holds up the command
  auto r = CallMethod("call_start", {{"start", start}}, s.ctx());
  step.recorded = r.ok();
  if (!r.ok() && r.error().kind == ErrorKind::kBusy)
    step.late_start = std::move(start);
  else if (!r.ok())
    Warn("call not recorded: " + r.error().message);
}

// In the child: the step's environment, then the command in its place.
[[noreturn]] void ExecCommand(const ExecOptions& o, Session& s, const Step& step, int out_pipe[2],
                              int err_pipe[2]) {
  if (o.capture) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]), close(out_pipe[1]), close(err_pipe[0]), close(err_pipe[1]);
  }
  setenv("WEFT_STORE", s.store_path().c_str(), 1);
  if (!s.project().empty()) setenv("WEFT_PROJECT", s.project().c_str(), 1);
  setenv("WEFT_TRACE_ID", step.trace.c_str(), 1);
  setenv("WEFT_PARENT_ID", step.id.c_str(), 1);
  // An OTel program the step runs reports its spans as the step's children (TRACESTATE is kept).
  if (std::string tp = TraceparentOf(step.trace, step.id); !tp.empty())
    setenv("TRACEPARENT", tp.c_str(), 1);
  std::vector<char*> args;
  for (const auto& a : o.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  _exit(
      Fail(errno == ENOENT ? 127 : 126, "cannot run '" + o.argv[0] + "': " + std::strerror(errno)));
}

// How the command ended, and the tails of its output with --capture.
struct Outcome {
  int status = 0;
  Micros ended = 0;
  Tail out, err;
};

// Runs the command, relaying signals to it, until it ends.
Result<Outcome> RunCommand(const ExecOptions& o, Session& s, const Step& step) {
  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  if (o.capture && (pipe(out_pipe) != 0 || pipe(err_pipe) != 0))
    return Error{ErrorKind::kStore, "pipe failed"};
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) return Error{ErrorKind::kStore, std::string("fork failed: ") + std::strerror(errno)};
  if (pid == 0) ExecCommand(o, s, step, out_pipe, err_pipe);
  g_child = pid;
  struct sigaction sa {};
  sa.sa_handler = Forward;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaction(sig, &sa, nullptr);
  Outcome outcome;
  if (o.capture) {
    close(out_pipe[1]), close(err_pipe[1]);
    Relay(out_pipe[0], err_pipe[0], outcome.out, outcome.err);
  }
  while (waitpid(pid, &outcome.status, 0) < 0 && errno == EINTR) {
  }
  outcome.ended = NowMicros();
  return outcome;
}

// The call_end of a step that ended so.
Json EndRequest(const ExecOptions& o, Session& s, const Step& step, const Outcome& r, int code) {
  bool killed = WIFSIGNALED(r.status);
  Json output = {{"exit_code", killed ? Json(nullptr) : Json(code)},
                 {"signal", killed ? Json(WTERMSIG(r.status)) : Json(nullptr)},
                 {"duration_ms", (r.ended - step.started) / 1000}};
  if (o.capture) {
    output["stdout_tail"] = r.out.Shown();
    output["stderr_tail"] = r.err.Shown();
  }
  Json summary = Json::object();
  if (step.parent.empty() && !CiAttributes().empty())
    summary["cicd"]["pipeline"]["result"] = CiResult(killed, code);
  Json end = {{"project_id", s.project()},
              {"id", step.id},
              {"ended_at", FormatTime(r.ended)},
              {"output", output},
              {"summary", summary}};
  if (killed)
    end["exception"] = std::string("killed by signal ") + std::to_string(WTERMSIG(r.status)) +
                       " (" + strsignal(WTERMSIG(r.status)) + ")";
  else if (code != 0)
    end["exception"] = "exited with status " + std::to_string(code);
  return end;
}

}  // namespace

int RunExec(const ExecOptions& o, const Globals& globals) {
  Session s(globals);
  Step step = NewStep();
  RecordStart(o, s, step);
  if (step.trace.empty()) step.trace = NewTraceId();  // not recorded: nested steps share a trace
  auto outcome = RunCommand(o, s, step);
  if (!outcome.ok()) return Fail(outcome.error());
  int status = outcome->status;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (!step.recorded && !step.late_start) return code;
  Json batch = Json::array();
  if (step.late_start) batch.push_back({{"mode", "start"}, {"req", {{"start", *step.late_start}}}});
  batch.push_back({{"mode", "end"}, {"req", {{"end", EndRequest(o, s, step, *outcome, code)}}}});
  RecordEnd(s, globals, batch);
  return code;
}

}  // namespace weft::cli
