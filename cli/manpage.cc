// The man page: hand-written prose around a COMMANDS section generated from
// the command table.
#include "cli/manpage.h"

#include <cstdio>
#include <sstream>

#include "cli/commands.h"

namespace weft::cli {
namespace {

// roff-safe text: backslashes and dashes escaped, non-ASCII as \[uXXXX],
// leading dots and quotes guarded.
std::string Roff(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c >= 0x80) {
      int extra = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
      unsigned cp = c & (0x3F >> extra);
      for (int k = 0; k < extra && i + 1 < s.size(); ++k) cp = (cp << 6) | (s[++i] & 0x3F);
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", cp);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

const char* ArgName(FlagKind kind) {
  switch (kind) {
    case FlagKind::kString: return "TEXT";
    case FlagKind::kJson: return "JSON";
    case FlagKind::kInt: return "N";
    case FlagKind::kBool: return "";
    case FlagKind::kList: return "VALUE";
    case FlagKind::kOpName: return "NAME";
    case FlagKind::kTime:
    case FlagKind::kSince:
    case FlagKind::kUntil: return "TIME";
    case FlagKind::kStatus: return "STATUS";
    case FlagKind::kSort: return "FIELD[:asc|desc]";
    case FlagKind::kExpr: return "JSON";
    case FlagKind::kIdQuery: return "ID";
    case FlagKind::kBytes:
    case FlagKind::kStream: return "PATH|-";
  }
  return "";
}

constexpr const char* kHead =
    R"MAN(.TH WEFT 1 "2026" "weft )MAN" WEFT_VERSION R"MAN(" "User Commands"
.SH NAME
weft \- an offline Weave trace store on LMDB
.SH SYNOPSIS
.B weft
[\fB\-\-store\fR \fIDIR\fR] [\fB\-\-project\fR \fIENTITY/PROJECT\fR] [\fB\-\-pretty\fR]
\fIGROUP\fR \fIVERB\fR [\fB\-\-json\fR \fIREQUEST\fR] [\fIFLAGS\fR]
.SH DESCRIPTION
.B weft
implements the Weave trace\-server interface (calls that nest into traces,
versioned objects and ops, tables, files, refs and feedback) as one command
per method over an LMDB store in the project folder. Digests are Weave's own.
.PP
Every command takes the whole request as \fB\-\-json\fR \fITEXT\fR,
\fB\-\-json @\fR\fIFILE\fR or \fB\-\-json \-\fR (standard input), exactly as
Weave's request model serialises it, and typed flags that build or override
parts of it. Without \fB\-\-json\fR, times left out default to now and
objects such as inputs to {}. The response is printed as one compact JSON
document (\fB\-\-pretty\fR indents it); \fBcalls query\-stream\fR prints
NDJSON and \fBfile content\-read\fR raw bytes.
.SH GLOBAL OPTIONS
.TP
.BI \-\-store " DIR"
The store folder (an LMDB environment). Default: \fB$WEFT_STORE\fR, else the
nearest \fI.weft/\fR in the current folder or a parent, else \fI./.weft\fR,
created by the first command that writes. Reading a store that does not
exist answers as an empty store and creates nothing.
.TP
.BI \-\-project " ENTITY/PROJECT"
Fills \fBproject_id\fR where a request leaves it out. Default: \fB$WEFT_PROJECT\fR.
.TP
.B \-\-pretty
Indent the JSON output.
.TP
.BI \-\-wait " SECONDS"
How long a write waits while another process writes the store (default
10, or \fB$WEFT_WAIT\fR). After a second it says on standard error which
process holds the write lock; at the end it fails with exit 1, "store is
locked". \fBweft exec\fR never waits for the store: when it is locked the
command runs at once, and its call is recorded at its end; a store still
locked a second later is left to a background process that waits
\fB\-\-wait\fR for it while weft exits with the command's status. Only a
call that is lost is reported.
.TP
.B \-q\fR, \fB\-\-quiet
No warnings on standard error (also \fBWEFT_QUIET=1\fR); errors still
print their one line.
.TP
.BI \-\-format " json|ndjson|table|junit"
How query commands print: the response as one JSON document (the
default), its list one item per line, or an aligned table for people
(local short times, long values cut with an ellipsis).
.TP
.BI \-\-color " auto|always|never"
Colour in \fBcalls tree\fR: by default only on a terminal and never when
\fBNO_COLOR\fR is set.
.SH TRACING COMMANDS
.SS "weft exec"
.B weft exec
[\fB\-\-op\fR \fINAME\fR] [\fB\-\-display\-name\fR \fITEXT\fR]
[\fB\-\-attrs\fR \fIJSON\fR] [\fB\-\-inputs\fR \fIJSON\fR] [\fB\-\-capture\fR]
\fB\-\-\fR \fICMD\fR [\fIARGS\fR...]
.PP
Records a call around the command: its inputs hold \fBargv\fR and
\fBcwd\fR (and what \fB\-\-inputs\fR adds); its output holds
\fBexit_code\fR, \fBsignal\fR and \fBduration_ms\fR, and with
\fB\-\-capture\fR the last 4 KiB of standard output and error
(\fBstdout_tail\fR, \fBstderr_tail\fR). A failure (non\-zero status or
a signal) sets the call's exception. The op name defaults to the command's
name. The command keeps its standard input, output and error (with
\fB\-\-capture\fR they pass through weft). SIGINT, SIGTERM, SIGHUP and
SIGQUIT are forwarded to it (SIGINT and SIGQUIT not while weft is the
terminal's foreground job, since the terminal sent them to the command
too), and weft exits with its status, or 128+N when
it was killed by signal N (127 when it cannot be run). If the call cannot be
recorded (no project, a read\-only or broken store) the command runs all
the same and a warning goes to standard error.
.PP
The command runs with \fBWEFT_STORE\fR, \fBWEFT_PROJECT\fR,
\fBWEFT_TRACE_ID\fR and \fBWEFT_PARENT_ID\fR set, so any \fBweft exec\fR
or \fBweft call start\fR inside it (a Makefile, a script, xargs \-P)
becomes a child of this call in the same trace, and with \fBTRACEPARENT\fR
naming the call, so an OpenTelemetry program it runs reports its spans as
the call's children. Its calls have OpenTelemetry\-shaped ids (32 hex
digits for a trace, 16 for a call).
.SS "weft calls check"
.B weft calls check
[\fITRACE_ID\fR|\fICALL_ID\fR|\fB\-\-trace\-id\fR \fIID\fR]
.PP
The gate at the end of a pipeline: when the trace (default
\fBWEFT_TRACE_ID\fR, else the latest) holds failed calls, prints the paths to
them as a tree and exits 1; else prints a summary line on standard error
and exits 0.
.SS "weft calls diff"
.B weft calls diff
\fIA\fR \fIB\fR
.PP
Two traces (or calls' subtrees) side by side, steps aligned by their op path
from the root: added (+), missing (\-) and status changes (!), with both
latencies and token counts; \fB\-\-format json\fR prints the rows.
.SS "weft eval compare"
.B weft eval compare
\fIBASELINE\fR \fIEVAL\fR... [\fB\-\-fail\-on\-regression\fR]
.PP
Evaluations of one dataset (Evaluation.evaluate calls) row by row: each
scorer's mean per evaluation, then the rows whose scores changed,
regressions first; \fB\-\-format json\fR prints the whole comparison. With
\fB\-\-fail\-on\-regression\fR, exit 1 when a scorer's mean is lower than the
baseline's.
.SS "weft calls tail"
.B weft calls tail
[\fB\-n\fR \fIN\fR] [\fB\-f\fR] [\fB\-\-interval\fR \fISECONDS\fR]
.PP
The N latest calls (default 10), a line each with the time they started or
ended; with \fB\-f\fR, then each call as it starts and again when it ends,
looking at the store every \fB\-\-interval\fR seconds (default 1) until
interrupted.
.SS "weft junit import"
.B weft junit import
\fIREPORT\fR|\fB\-\fR [\fB\-\-parent\fR \fIID\fR]
.PP
Records each test case of a JUnit XML report (pytest, Surefire/JUnit 5,
go\-junit\-report) as a call under \fB\-\-parent\fR (else
\fBWEFT_PARENT_ID\fR; without either, under a root call for the report):
op \fIclassname.name\fR, latency from its time, the exception from its
failure or error, its outcome and captured output as the output.
\fBweft calls query \-\-format junit\fR writes calls as such a report.
.SS "weft calls tree"
.B weft calls tree
[\fB\-\-depth\fR \fIN\fR] [\fB\-\-errors\fR] [\fITRACE_ID\fR|\fICALL_ID\fR]
.PP
Shows a trace as an indented tree: status (a check mark for success, a
cross for an error, "...running" while it runs), name, latency and short
previews of inputs and
output, and under a failed step the last five lines of its captured stderr
(\fBweft exec \-\-capture\fR). Without an argument, the latest trace of the project; with a call
id, that call's subtree. \fB\-\-depth\fR \fIN\fR shows N levels below the
root (an ellipsis marks the rest), \fB\-\-errors\fR only the failed calls
and those above them; \fB\-\-format json\fR prints the tree as nested
JSON, each call with its \fBchildren\fR (other formats are refused).
.SS "weft serve"
.B weft serve
[\fB\-\-host\fR \fIADDR\fR] [\fB\-\-port\fR \fIN\fR] [\fB\-\-api\-key\fR \fIKEY\fR]
[\fB\-\-allow\-host\fR \fINAME\fR] [\fB\-\-insecure\-no\-key\fR]
[\fB\-\-max\-body\fR \fISIZE\fR] [\fB\-\-max\-in\-flight\fR \fISIZE\fR] [\fB\-\-threads\fR \fIN\fR] [\fB\-\-log\fR]
.PP
Serves Weave's trace\-server HTTP API over the store, under both \fI/\fR
and \fI/traces/\fR, so that Weave's own SDKs record into it: point them at
it with \fBWF_TRACE_SERVER_URL\fR (TypeScript and Python) or
\fBWANDB_BASE_URL\fR (Python, which also needs the GraphQL stub served
at \fI/graphql\fR), and any non\-empty \fBWANDB_API_KEY\fR. It listens on
127.0.0.1:6345 by default (\fB\-\-port 0\fR picks a free port) and prints
the base URL as the first line on standard output, the environment lines
for the SDKs on standard error. Errors answer JSON \fB{"reason": ...}\fR
with 400 (invalid request or HTTP), 404 (not found, or a route weft does
not serve), 405, 401 (with \fB\-\-api\-key\fR, a wrong key), 403 (a write
from another web site), 413 (a body over \fB\-\-max\-body\fR, 64MiB by
default, counted as it is decoded), 415 (a JSON write sent as text/plain or
a form), 421 (a \fBHost\fR the server was not bound for), 503 with
\fBRetry\-After\fR (more request bodies than \fB\-\-max\-in\-flight\fR,
128MiB by default, or the store locked) or 500 (the store failed). A
request is answered 2xx only once its data is durable. On SIGINT or SIGTERM
it answers the requests in flight (for at most 10 seconds) and exits 0; a
port in use exits 1. Other weft commands keep using the store meanwhile.
The key may also come from \fBWEFT_API_KEY\fR; it is never logged. A
\fB\-\-host\fR beyond this machine (0.0.0.0, a network address) needs a
key, or \fB\-\-insecure\-no\-key\fR (exit 2 otherwise). Requests must name
\fBlocalhost\fR, 127.0.0.1, [::1], the \fB\-\-host\fR or an
\fB\-\-allow\-host\fR in their \fBHost\fR header, so that no web page can
reach the store by DNS rebinding; see SECURITY.
.SS "weft ui"
.B weft ui
[\fB\-\-host\fR \fIADDR\fR] [\fB\-\-port\fR \fIN\fR] [\fB\-\-api\-key\fR \fIKEY\fR] [\fB\-\-allow\-writes\fR] [\fB\-\-open\fR] [\fB\-\-log\fR] [\fIEXPORT\fR]
.PP
Given an \fIEXPORT\fR file (\fBweft export \-\-trace\fR makes one of a
single trace), shows it instead of the store: imported into a temporary
store, served read\-only, and removed when the viewer stops.
.PP
Serves a web viewer of the store beside the HTTP API it reads: the calls
with filters, traces as trees with latency bars, each call's detail with
refs as links, objects and dataset rows. It listens on 127.0.0.1:6346 by
default, prints the base URL on standard output and the page of
\fB\-\-project\fR on standard error, and is read\-only (writes answer
403) unless \fB\-\-allow\-writes\fR. \fB\-\-open\fR runs
\fBxdg\-open\fR on the page (with no shell in between). With a key
(\fB\-\-api\-key\fR or \fBWEFT_API_KEY\fR) every route that reads or writes
the store needs it, and the printed page carries it after \fB#key=\fR,
which the page keeps for its tab and takes out of the address bar; without
it, the page asks. The same rules as \fBweft serve\fR keep other web sites
out.
.SS "weft stats"
.B weft stats
.PP
Prints, as JSON, what the store holds per project (live calls, and deleted
ones apart as \fBcalls_deleted\fR, object versions, tables, table rows,
files, feedback and their bytes) and how full it is: the file and map
sizes, pages used and free, reader slots in use.
.SS "weft check"
.B weft check
.PP
Reads every record of the store and prints a JSON report: records whose
checksum fails or that do not decode (\fBdamaged\fR), call index entries
without their call or calls without their entries (\fBindex_problems\fR),
objects, rows, tables and files that do not hash to their digest
(\fBdigest_mismatches\fR), and how many refs inside objects resolve
nowhere (\fBunresolved_refs\fR, not an error). Exits 0 when the store is
clean, 1 (with the report still on standard output) when it is not. It
changes nothing, unless \fB\-\-repair\fR: then it first backs the store up
to \fISTORE\fR.backup\-\fISECONDS\fR beside it, drops the records that
cannot be read and rebuilds the call indexes from the call records, and
reports the check that follows.
.SS "weft backup"
.B weft backup
\fIDEST\fR
.PP
Copies the store into \fIDEST\fR (a new or empty folder), compacted, from
one consistent snapshot while other processes keep writing. The copy is a
store: \fBweft \-\-store \fIDEST\fR reads it.
.SS "weft compact"
.B weft compact
.PP
Rewrites the store without its free pages, in place: under the write lock,
a compacted copy is written beside \fIdata.mdb\fR and renamed over it.
It needs the store to itself: while another process has it open (\fBweft
serve\fR, a long query) it exits 1 naming that process and changes
nothing. Prints the size before and after.
.SS "weft export"
.B weft export
[\fB\-o\fR \fIFILE\fR|\fB\-\fR] [\fB\-\-since\fR \fITIME\fR] [\fB\-\-format\fR \fIweft\fR|\fIotlp\fR] [\fB\-\-trace\fR \fIID\fR]
.PP
Writes the project (\fB\-\-project\fR, \fBWEFT_PROJECT\fR) or, without
one, every project of the store as NDJSON: a header line
\fB{"weft_export":1}\fR, then one record a line \-\- files (bytes in
base64), tables, objects and ops, calls, feedback, in the interface's own
JSON shapes and in dependency order. The same store always exports to the
same bytes. \fB\-\-since\fR keeps calls started and feedback given since
\fITIME\fR (RFC 3339, or 15m, 2h, 7d). \fB\-\-format otlp\fR writes only the
ended calls, as OTLP JSON: one ExportTraceServiceRequest a line, a line a
trace, which \fBweft otlp import\fR and OpenTelemetry tools read.
\fB\-\-trace\fR \fIID\fR writes one trace with the objects, ops, tables,
files and feedback it refers to, for \fBweft ui\fR \fIFILE\fR elsewhere.
.SS "weft import"
.B weft import
\fIFILE\fR|\fB\-\fR [\fB\-\-to\-project\fR \fIENTITY/PROJECT\fR] [\fB\-\-replace\fR] [\fB\-\-max\-line\fR \fISIZE\fR]
.PP
Reads an export as a stream and writes each record with its method's
checks, keeping ids and creation times. Every record goes to
\fB\-\-to\-project\fR, else \fB\-\-project\fR, with its refs rewritten;
without either, each keeps its own project. Digests are recomputed and a
record whose digest is not its content's is refused. A call the store holds
with other content is kept unless \fB\-\-replace\fR; the summary counts new,
unchanged, replaced and kept calls. Importing again changes nothing. A bad
line, or one longer than \fB\-\-max\-line\fR (256MiB), stops it with exit 2
naming the line; the lines before it stay imported.
.SS "weft push"
.B weft push
[\fB\-\-to\fR \fIURL\fR] [\fB\-\-to\-project\fR \fIENTITY/PROJECT\fR]
[\fB\-\-since\fR \fITIME\fR] [\fB\-\-dry\-run\fR]
[\fB\-\-no\-create\-project\fR] [\fB\-\-ca\-file\fR \fIPEM\fR]
.br
.B weft push \-\-otlp
\fIURL\fR [\fB\-\-header\fR \fINAME\fB=\fIVALUE\fR...] [\fB\-\-since\fR \fITIME\fR] [\fB\-\-dry\-run\fR]
.PP
Sends the project's files, tables, objects and ops, calls and feedback to
the Weave trace server at \fIURL\fR (default \fBWF_TRACE_SERVER_URL\fR),
rewriting refs to the digests the server answers, and records what the
server acknowledged in the store, so that the next push to the same server
and project sends only what changed (new, ended, renamed and deleted
calls, new versions and feedback) and a killed push resumes. Auth:
\fBWANDB_API_KEY\fR, else the \fI~/.netrc\fR password for the host.
Creates the project first with GraphQL upsertModel at \fBWANDB_BASE_URL\fR
(unset: the trace server's API, its URL without a /traces suffix, or
https://api.wandb.ai for https://trace.wandb.ai) unless \fB\-\-no\-create\-project\fR. Retries 429, 5xx, network
errors and 2xx replies that are not the answer asked for with backoff
(\fBWEFT_RETRIES\fR attempts, default 6), then exits 1. Follows no
redirect; each request must finish within \fBWEFT_TIMEOUT\fR seconds
(300); replies are capped in size. A key given in the URL goes to that
host only and is never printed. Prints a summary line; \fB\-\-dry\-run\fR
sends nothing and says what it would send.
.PP
With \fB\-\-otlp\fR, sends the project's ended calls as spans to any
OpenTelemetry backend's OTLP/HTTP traces endpoint (a Collector, Jaeger,
Tempo, Honeycomb, Datadog), as protobuf with gzip, about 512 spans a
request, with each \fB\-\-header\fR and those of
\fBOTEL_EXPORTER_OTLP_HEADERS\fR; no W&B key is sent. Spans go out as
\fBexport \-\-format otlp\fR writes them; the same retries, sync state and
resumption as above, by span; spans the backend rejects are named in a
warning.
.SS "weft pull"
.B weft pull
[\fB\-\-from\fR \fIURL\fR] [\fB\-\-to\-project\fR \fIENTITY/PROJECT\fR]
[\fB\-\-since\fR \fITIME\fR] [\fB\-\-trace\-id\fR \fIID\fR...]
[\fB\-\-op\fR \fINAME\fR...] [\fB\-\-limit\fR \fIN\fR] [\fB\-\-replace\fR] [\fB\-\-all\fR]
.PP
Copies the calls of the server's project (\fB\-\-project\fR) that match
into the store, with every object, op, table, file and feedback row they
refer to, all into the one local project (\fB\-\-to\-project\fR) whatever
project the server names, rewriting refs there and recomputing digests.
Pulling again adds what is new and says what changed; a call the store
holds with other content is kept unless \fB\-\-replace\fR. \fB\-\-all\fR
copies the whole project: every object and op version and all its feedback
as well.
.SS "weft completion"
.B weft completion
\fIbash\fR|\fIzsh\fR|\fIfish\fR
.PP
Prints a completion script generated from the command tree. Installed
copies live in \fIshare/bash\-completion/completions/weft\fR,
\fIshare/zsh/vendor\-completions/_weft\fR and
\fIshare/fish/vendor_completions.d/weft.fish\fR.
.SH COMMANDS
)MAN";

constexpr const char* kTail = R"MAN(.SH ENVIRONMENT
.TP
.B WEFT_STORE
The store folder when \fB\-\-store\fR is not given.
.TP
.B WEFT_PROJECT
The project when \fB\-\-project\fR is not given.
.TP
.B WEFT_TRACE_ID\fR, \fBWEFT_PARENT_ID
The trace and the enclosing call, set by \fBweft exec\fR for its command
and printed by \fBweft call start \-\-export\fR. \fBcall start\fR takes
them as its \fB\-\-trace\-id\fR and \fB\-\-parent\fR, and \fBcall end\fR
ends \fBWEFT_PARENT_ID\fR's call when given no \fB\-\-id\fR (when the
request is built from flags, not \fB\-\-json\fR).
.TP
.B TRACEPARENT
W3C trace context (\fB00\-\fITRACE\fB\-\fISPAN\fB\-\fIFLAGS\fR). When neither
\fBWEFT_TRACE_ID\fR nor \fBWEFT_PARENT_ID\fR is set, \fBweft exec\fR and
\fBweft call start\fR join that trace as children of that span.
\fBweft exec\fR sets it for its command; \fBcall start \-\-export\fR prints it
when the call's ids have OpenTelemetry's shape.
.TP
.B OTEL_EXPORTER_OTLP_HEADERS
Headers (\fINAME\fB=\fIVALUE\fR, comma\-separated) \fBpush \-\-otlp\fR sends.
.TP
.B OTEL_EXPORTER_OTLP_ENDPOINT
Not read by weft: point an OpenTelemetry exporter at \fBweft serve\fR
with it (http://127.0.0.1:6345), and its spans become calls.
.TP
.B NO_COLOR
Turns colour off.
.TP
.B WEFT_WAIT
Seconds a write waits for another process's write when \fB\-\-wait\fR is
not given.
.TP
.B WF_TRACE_SERVER_URL, WANDB_BASE_URL, WANDB_API_KEY
The trace server \fBpush\fR and \fBpull\fR talk to, the W&B server where
\fBpush\fR creates the project, and the API key they send.
.TP
.B NETRC
The netrc file (default \fI~/.netrc\fR) whose password for the server's host
\fBpush\fR and \fBpull\fR send when \fBWANDB_API_KEY\fR is unset.
.TP
.B WEFT_RETRIES
Attempts per request of \fBpush\fR and \fBpull\fR (default 6).
.TP
.B WEFT_TIMEOUT
Seconds a request of \fBpush\fR and \fBpull\fR and its reply may take
(default 300).
.TP
.B WEFT_USER
The user recorded as \fBwb_user_id\fR where the server fills it in; default
the login name.
.TP
.B WEFT_API_KEY
The key \fBweft serve\fR and \fBweft ui\fR require when \fB\-\-api\-key\fR
is not given.
.SH SECURITY
\fBweft serve\fR and \fBweft ui\fR listen on this machine only unless
\fB\-\-host\fR says otherwise, which needs a key. Web pages the user visits
cannot read or write them: requests naming another \fBHost\fR are refused
(421), as are requests with a body sent by another site (403, by
\fBOrigin\fR or \fBSec\-Fetch\-Site\fR) and JSON writes sent as text/plain or
as a form (415); no answer allows cross\-origin reads, framing or sniffing.
Request heads must arrive within 10 seconds and bodies keep arriving;
ambiguous framing (two lengths, a length with chunked) is refused. The
README's security section and docs/security.md say more.
.SH EXIT STATUS
.TP
.B 0
Success.
.TP
.B 1
The store or the system failed: I/O, a read\-only store, a store locked by
another writer past \fB\-\-wait\fR (the message names the process), disk
full, a folder that is not a store, a store of a newer format, a damaged
record (\fBweft check\fR finds them); a helper (\fBweft\-http\fR,
\fBweft\-remote\fR) that is missing; \fBpush\fR and \fBpull\fR when the
server stays unreachable, refuses the key (401, 403) or answers what was not
asked for; \fBweft compact\fR while another process has the store open;
\fBweft check\fR when it finds damage.
.TP
.B 2
Bad usage or an invalid request: unknown command or flag, malformed JSON, a
request that fails validation.
.TP
.B 3
Not found: \fBobj read\fR, \fBop read\fR, \fBtable update\fR of an unknown
base, \fBfile content\-read\fR.
.PP
\fBweft exec\fR exits with its command's status instead.
.PP
On failure nothing is printed on standard output and standard error gets one
line, \fBweft: error:\fR \fIwhat\fR, naming the field or value at fault; the
store is unchanged. A request field its model does not know is refused as
Weave's strict models refuse it (exit 2); inside a call or object it is
ignored with a \fBweft: warning:\fR line.
.SH FILES
.TP
.I .weft/data.mdb, .weft/lock.mdb
The default store. Keep stores on a local filesystem; copy a live store with
\fBmdb_copy\fR(1) or \fBweft backup\fR. A store written by weft 0.3
(format 2) or 0.4 (format 3) is read as it is and gains weft 0.5's call
indexes and per-hour roll-ups (format 4) in its first write, which then
takes longer (seconds a million calls); an older weft refuses it afterwards.
.TP
.I .weft/weft.lock
An empty file whose first byte every writer locks before it writes, so that
a writer stopped half\-way makes the others fail after \fB\-\-wait\fR
seconds, naming it, instead of waiting for ever.
.SH EXAMPLES
.nf
export WEFT_PROJECT=acme/app
weft exec \-\-op ci \-\- make test      # nested weft exec calls inside make join the trace
weft calls tree
eval "$(weft call start \-\-op deploy \-\-export)"; ./deploy.sh; weft call end
weft obj create \-\-name config \-\-val '{"lr": 0.1}'
id=$(weft call start \-\-op build | jq \-r .id)
weft call end \-\-id "$id" \-\-output '{"ok": true}'
weft calls query \-\-roots \-\-sort started_at:desc \-\-limit 5
weft feedback create \-\-ref "weave:///acme/app/call/$id" \-\-note 'looks right'
.fi
.SH SEE ALSO
The README of weft, and Weave's trace server interface.
)MAN";

}  // namespace

std::string ManPage() {
  std::ostringstream out;
  out << kHead;
  for (const CommandSpec& spec : Commands()) {
    out << ".SS \"weft " << spec.group << " " << spec.verb << "\"\n";
    out << Roff(spec.summary) << " (method \\fB" << Roff(spec.method) << "\\fR).\n";
    out << ".TP\n.BI \\-\\-json \" REQUEST\"\nThe whole request: TEXT, @FILE or \\- for standard "
           "input.\n";
    for (const FlagSpec& f : spec.flags) {
      std::string arg = ArgName(f.kind);
      out << ".TP\n" << (arg.empty() ? ".B " : ".BI ") << Roff(f.name);
      if (!arg.empty()) out << " \" " << Roff(arg) << "\"";
      out << "\n" << Roff(f.help) << " (\\fB" << Roff(f.path) << "\\fR)\n";
    }
    if (spec.destructive)
      out << ".TP\n.B \\-\\-yes\nDo not ask. Without it the command asks on a terminal and refuses "
             "elsewhere (exit 2), unless the request is given with \\fB\\-\\-json\\fR.\n";
    if (spec.exports == CommandSpec::Exports::kStart)
      out << ".TP\n.B \\-\\-export\nPrint \\fBexport WEFT_STORE=... WEFT_PROJECT=... "
             "WEFT_TRACE_ID=... "
             "WEFT_PARENT_ID=...\\fR lines for \\fBeval\\fR instead of JSON, so that later "
             "commands nest "
             "under this call.\n";
    if (spec.exports == CommandSpec::Exports::kEnd)
      out << ".TP\n.B \\-\\-export\nPrint, for \\fBeval\\fR, \\fBexport WEFT_PARENT_ID=...\\fR "
             "naming "
             "the ended call's parent (\\fBunset WEFT_PARENT_ID WEFT_TRACE_ID\\fR at a trace's "
             "root), so "
             "that nested \\fBcall start \\-\\-export\\fR spans close in order.\n";
    out << ".PP\nExample:\n.nf\n" << Roff(spec.example) << "\n.fi\n";
  }
  out << kTail;
  return out.str();
}

}  // namespace weft::cli
