// The command table: every `weft GROUP VERB`, the interface method it runs,
// and the typed flags that build its request. One table drives the CLI11
// setup, the help text and the completion scripts.
#pragma once

#include <string>
#include <vector>

namespace weft::cli {

enum class FlagKind {
  kString,   // --flag TEXT            -> a string at path
  kJson,     // --flag JSON            -> parsed JSON at path
  kInt,      // --flag N               -> an integer at path
  kBool,     // --flag                 -> true at path
  kList,     // --flag A --flag B      -> ["A", "B"] at path (repeat, or commas)
  kOpName,   // --flag NAME (repeat)   -> like kList, and a bare name also as every version of that
             // op of the project
  kTime,     // --flag RFC3339|now     -> a time string at path
  kSort,     // --flag FIELD[:asc|desc] -> [{"field", "direction"}] at path (repeat)
  kExpr,     // --flag JSON            -> {"$expr": JSON} at path
  kIdQuery,  // --flag ID (repeat)     -> {"$expr": {"$or": [id == ID, ...]}} at path
  kSince,    // --flag TIME|1h         -> started_at >= TIME, ANDed into the $expr at path
  kUntil,    // --flag TIME|1h         -> started_at < TIME, ANDed into the $expr at path
  kStatus,   // --flag STATUS          -> summary.weave.status == STATUS, ANDed likewise
  kBytes,    // --flag PATH|-          -> the file's bytes at path
  kStream,   // --flag PATH|-          -> the file, read by the method as it goes (Context::input)
};

struct FlagSpec {
  const char* name;  // "--project"; without dashes a positional argument
  const char* path;  // dotted path in the request ("obj.val")
  FlagKind kind;
  const char* help;
  // JSON put at path when the request has nothing there and no --json was
  // given ("\"now\"" is the current time).
  const char* fallback = nullptr;
  // "path=JSON" also set when this flag is given and the request has
  // nothing at path (--reaction implies feedback_type wandb.reaction.1).
  const char* implies = nullptr;
  // An environment variable whose value is used when the flag is not
  // given and no --json was (WEFT_PARENT_ID for --parent).
  const char* env = nullptr;
};

enum class OutputKind { kJson, kNdjson, kBytes };

struct CommandSpec {
  const char* group;
  const char* verb;
  const char* method;
  const char* summary;
  // Where --project / WEFT_PROJECT goes when the request has no project id.
  // "" for none; "entity+project" splits it into the two fields.
  const char* project_path;
  std::vector<FlagSpec> flags;
  const char* example;
  OutputKind output = OutputKind::kJson;
  // The list in the response that --format ndjson|table prints ("calls").
  const char* list = nullptr;
  // Columns (dotted paths into each item) of --format table.
  const char* table_columns = nullptr;
  // Deletes data: asks on a terminal, needs --yes elsewhere (but never
  // with --json, the interface for scripts).
  bool destructive = false;
  // Takes --export: prints shell lines for eval instead of JSON. A start
  // exports itself as the enclosing call; an end hands the enclosing call
  // back to its parent (cli/nesting.h).
  enum class Exports { kNone, kStart, kEnd } exports = Exports::kNone;
  // Starts a call: a parent given without a trace id lends its trace
  // (cli/nesting.h).
  bool nests = false;
};

const std::vector<CommandSpec>& Commands();

// One-line descriptions of the command groups.
const char* GroupSummary(const std::string& group);

}  // namespace weft::cli
