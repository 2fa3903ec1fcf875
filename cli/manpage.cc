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
    case FlagKind::kTime: return "TIME";
    case FlagKind::kSort: return "FIELD[:asc|desc]";
    case FlagKind::kExpr: return "JSON";
    case FlagKind::kIdQuery: return "ID";
    case FlagKind::kBytes: return "PATH|-";
  }
  return "";
}

constexpr const char* kHead = R"(.TH WEFT 1 "2026" "weft 0.1" "User Commands"
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
.SH COMMANDS
)";

constexpr const char* kTail = R"(.SH ENVIRONMENT
.TP
.B WEFT_STORE
The store folder when \fB\-\-store\fR is not given.
.TP
.B WEFT_PROJECT
The project when \fB\-\-project\fR is not given.
.TP
.B WEFT_USER
The user recorded as \fBwb_user_id\fR where the server fills it in; default
the login name.
.SH EXIT STATUS
.TP
.B 0
Success.
.TP
.B 1
The store or the system failed: I/O, a read\-only or locked store, disk
full, a folder that is not a store, a store of a newer format.
.TP
.B 2
Bad usage or an invalid request: unknown command or flag, malformed JSON, a
request that fails validation.
.TP
.B 3
Not found: \fBobj read\fR, \fBop read\fR, \fBtable update\fR of an unknown
base, \fBfile content\-read\fR.
.PP
On failure nothing is printed on standard output and standard error gets one
line, \fBweft: error:\fR \fIwhat\fR, naming the field or value at fault; the
store is unchanged. Unknown request fields are ignored with a
\fBweft: warning:\fR line.
.SH FILES
.TP
.I .weft/data.mdb, .weft/lock.mdb
The default store. Keep stores on a local filesystem; copy a live store with
\fBmdb_copy\fR(1).
.SH EXAMPLES
.nf
export WEFT_PROJECT=acme/app
weft obj create \-\-name config \-\-val '{"lr": 0.1}'
id=$(weft call start \-\-op build | jq \-r .id)
weft call end \-\-id "$id" \-\-output '{"ok": true}'
weft calls query \-\-roots \-\-sort started_at:desc \-\-limit 5
weft feedback create \-\-ref "weave:///acme/app/call/$id" \-\-note 'looks right'
.fi
.SH SEE ALSO
The README of weft, and Weave's trace server interface.
)";

}  // namespace

std::string ManPage() {
  std::ostringstream out;
  out << kHead;
  for (const CommandSpec& spec : Commands()) {
    out << ".SS \"weft " << spec.group << " " << spec.verb << "\"\n";
    out << Roff(spec.summary) << " (method \\fB" << Roff(spec.method) << "\\fR).\n";
    out << ".TP\n.BI \\-\\-json \" REQUEST\"\nThe whole request: TEXT, @FILE or \\- for standard input.\n";
    for (const FlagSpec& f : spec.flags) {
      std::string arg = ArgName(f.kind);
      out << ".TP\n" << (arg.empty() ? ".B " : ".BI ") << Roff(f.name);
      if (!arg.empty()) out << " \" " << Roff(arg) << "\"";
      out << "\n" << Roff(f.help) << " (\\fB" << Roff(f.path) << "\\fR)\n";
    }
    out << ".PP\nExample:\n.nf\n" << Roff(spec.example) << "\n.fi\n";
  }
  out << kTail;
  return out.str();
}

}  // namespace weft::cli
