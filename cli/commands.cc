// The table of weft's commands (CONTRACT.md §1) and their typed flags.
#include "cli/commands.h"

#include <map>

namespace weft::cli {

using K = FlagKind;

namespace {

constexpr const char* kCallColumns =
    "id,op_name,display_name,summary.weave.status,started_at,summary.weave.latency_ms,inputs,output";
constexpr const char* kObjColumns = "object_id,version_index,is_latest,kind,created_at,digest,val";

// The _CallsFilter and query flags shared by calls query, query-stats and
// query-stream; `paging` adds sorting, limit/offset and columns.
std::vector<FlagSpec> CallsFilterFlags(bool paging) {
  std::vector<FlagSpec> flags = {
      {"--trace-id", "filter.trace_ids", K::kList, "only calls of these traces (repeat)"},
      {"--parent", "filter.parent_ids", K::kList, "only children of these calls (repeat)"},
      {"--id", "filter.call_ids", K::kList, "only these calls (repeat)"},
      {"--op-name", "filter.op_names", K::kList, "only these ops; NAME:* matches every version of an op ref"},
      {"--input-ref", "filter.input_refs", K::kList, "only calls with one of these refs in their inputs"},
      {"--output-ref", "filter.output_refs", K::kList, "only calls with one of these refs in their output"},
      {"--user", "filter.wb_user_ids", K::kList, "only calls of these users"},
      {"--roots", "filter.trace_roots_only", K::kBool, "only root calls (no parent)"},
      {"--filter", "query", K::kExpr, "a $expr query, as JSON"},
      {"--since", "query", K::kSince, "only calls started at or after TIME (RFC 3339, or 30s, 15m, 2h, 7d ago)"},
      {"--until", "query", K::kUntil, "only calls started before TIME (RFC 3339, or 30s, 15m, 2h, 7d ago)"},
      {"--status", "query", K::kStatus, "only calls with this status: success, error or running"},
  };
  if (paging) {
    flags.push_back({"--sort", "sort_by", K::kSort, "sort by FIELD[:asc|desc] (repeat; default started_at)"});
    flags.push_back({"--limit", "limit", K::kInt, "at most N calls"});
    flags.push_back({"--offset", "offset", K::kInt, "skip the first N calls"});
    flags.push_back({"--columns", "columns", K::kList, "only these columns (repeat or commas)"});
  }
  return flags;
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> kCommands = {
      {"call", "start", "call_start", "Record the start of a call (answers its id and trace id)",
       "start.project_id",
       {{"--op", "start.op_name", K::kString, "op name (or an op ref)"},
        {"--display-name", "start.display_name", K::kString, "display name"},
        {"--inputs", "start.inputs", K::kJson, "inputs, a JSON object", "{}"},
        {"--attributes", "start.attributes", K::kJson, "attributes, a JSON object", "{}"},
        {"--id", "start.id", K::kString, "call id (default: a new UUIDv7)"},
        {"--trace-id", "start.trace_id", K::kString, "trace id (default: $WEFT_TRACE_ID, else a new UUIDv7)",
         nullptr, nullptr, "WEFT_TRACE_ID"},
        {"--parent", "start.parent_id", K::kString, "parent call id (default: $WEFT_PARENT_ID)", nullptr, nullptr,
         "WEFT_PARENT_ID"},
        {"--started-at", "start.started_at", K::kTime, "start time, RFC 3339 (default: now)", "\"now\""}},
       "eval \"$(weft call start --op build --export)\"; make; weft call end", OutputKind::kJson, nullptr, nullptr,
       false, true},
      {"call", "end", "call_end", "Record the end of a call", "end.project_id",
       {{"--id", "end.id", K::kString, "call id (default: $WEFT_PARENT_ID, the call --export started)",
         nullptr, nullptr, "WEFT_PARENT_ID"},
        {"--output", "end.output", K::kJson, "output, any JSON"},
        {"--exception", "end.exception", K::kString, "exception text (marks the call failed)"},
        {"--summary", "end.summary", K::kJson, "summary, a JSON object", "{}"},
        {"--ended-at", "end.ended_at", K::kTime, "end time, RFC 3339 (default: now)", "\"now\""}},
       "weft call end --id ID --output '{\"ok\": true}'"},
      {"call", "read", "call_read", "Read one call ({\"call\": null} when unknown)", "project_id",
       {{"--id", "id", K::kString, "call id"}},
       "weft call read --id ID"},
      {"call", "update", "call_update", "Set a call's display name (\"\" removes it)", "project_id",
       {{"--id", "call_id", K::kString, "call id"},
        {"--display-name", "display_name", K::kString, "the new display name"}},
       "weft call update --id ID --display-name 'nightly build'"},
      {"call", "upsert-batch", "call_upsert_batch",
       "Record many starts and ends at once, all or nothing (Weave's /call/upsert_batch)", "",
       {{"--batch", "batch", K::kJson, "the items: [{\"mode\": \"start\"|\"end\", \"req\": {...}}, ...]"}},
       "weft call upsert-batch --json @batch.json"},
      {"calls", "import", "calls_import",
       "Import upsert-batch items from NDJSON, one per line, all or nothing", "",
       {{"file", "ndjson", K::kBytes, "the NDJSON file, or - for stdin"}},
       "weft calls import calls.ndjson"},
      {"calls", "delete", "calls_delete", "Delete calls and all their descendants (at most 100 ids)",
       "project_id", {{"--id", "call_ids", K::kList, "call ids (repeat)"}},
       "weft calls delete --id ID --yes", OutputKind::kJson, nullptr, nullptr, true},
      {"calls", "query", "calls_query", "Query calls", "project_id", CallsFilterFlags(true),
       "weft calls query --trace-id T --roots --limit 20 --sort started_at:desc", OutputKind::kJson, "calls",
       kCallColumns},
      {"calls", "query-stats", "calls_query_stats", "Count the calls a query matches", "project_id",
       CallsFilterFlags(false), "weft calls query-stats --op-name build"},
      {"calls", "query-stream", "calls_query_stream", "Stream matching calls as NDJSON, one per line",
       "project_id", CallsFilterFlags(true), "weft calls query-stream --limit 1000 | jq .op_name",
       OutputKind::kNdjson, "calls", kCallColumns},
      {"feedback", "create", "feedback_create", "Attach feedback (a reaction, a note, anything) to a ref",
       "project_id",
       {{"--ref", "weave_ref", K::kString, "the ref the feedback is about (weave:///...)"},
        {"--type", "feedback_type", K::kString, "feedback type (wandb.reaction.1, wandb.note.1, custom...)"},
        {"--payload", "payload", K::kJson, "payload, a JSON object"},
        {"--reaction", "payload.emoji", K::kString, "a reaction emoji (implies --type wandb.reaction.1)",
         nullptr, "feedback_type=\"wandb.reaction.1\""},
        {"--note", "payload.note", K::kString, "a note, 1-1024 characters (implies --type wandb.note.1)",
         nullptr, "feedback_type=\"wandb.note.1\""},
        {"--creator", "creator", K::kString, "who gave it (free text)"}},
       "weft feedback create --ref weave:///acme/app/call/ID --note 'looks right'"},
      {"feedback", "query", "feedback_query", "Query feedback", "project_id",
       {{"--fields", "fields", K::kList, "only these fields (payload.x paths, count(*))"},
        {"--filter", "query", K::kExpr, "a $expr query, as JSON"},
        {"--sort", "sort_by", K::kSort, "sort by FIELD[:asc|desc] (repeat)"},
        {"--limit", "limit", K::kInt, "at most N rows"},
        {"--offset", "offset", K::kInt, "skip the first N rows"}},
       "weft feedback query --filter '{\"$eq\": [{\"$getField\": \"feedback_type\"}, {\"$literal\": \"wandb.note.1\"}]}'",
       OutputKind::kJson, "result", "created_at,feedback_type,weave_ref,payload"},
      {"feedback", "purge", "feedback_purge", "Delete feedback by id", "project_id",
       {{"--id", "query", K::kIdQuery, "feedback ids to delete (repeat)"}},
       "weft feedback purge --id FEEDBACK_ID --yes", OutputKind::kJson, nullptr, nullptr, true},
      {"obj", "create", "obj_create", "Store a new version of an object (answers its digest)",
       "obj.project_id",
       {{"--name", "obj.object_id", K::kString, "object name (1-127 of A-Z a-z 0-9 _ . -)"},
        {"--val", "obj.val", K::kJson, "the value, as JSON"}},
       "weft obj create --project acme/app --name config --val '{\"lr\": 0.1}'"},
      {"obj", "read", "obj_read", "Read one version of an object", "project_id",
       {{"--name", "object_id", K::kString, "object name"},
        {"--digest", "digest", K::kString, "digest, 'latest' (default) or vN", "\"latest\""}},
       "weft obj read --project acme/app --name config --digest v0"},
      {"objs", "query", "objs_query", "List object and op versions", "project_id",
       {{"--name", "filter.object_ids", K::kList, "only these object names (repeat)"},
        {"--base-class", "filter.base_object_classes", K::kList, "only these base classes (repeat)"},
        {"--latest", "filter.latest_only", K::kBool, "only the latest version of each"},
        {"--ops", "filter.is_op", K::kBool, "only ops"},
        {"--sort", "sort_by", K::kSort, "sort by object_id or created_at[:asc|desc] (repeat)"},
        {"--limit", "limit", K::kInt, "at most N versions"},
        {"--offset", "offset", K::kInt, "skip the first N versions"},
        {"--metadata-only", "metadata_only", K::kBool, "leave the values out (val is {})"}},
       "weft objs query --project acme/app --latest", OutputKind::kJson, "objs", kObjColumns},
      {"op", "create", "op_create", "Store a new version of an op", "op_obj.project_id",
       {{"--name", "op_obj.object_id", K::kString, "op name"},
        {"--val", "op_obj.val", K::kJson, "the op's value, as JSON"}},
       "weft op create --project acme/app --name build --val '{\"code\": \"make all\"}'"},
      {"op", "read", "op_read", "Read one version of an op", "project_id",
       {{"--name", "name", K::kString, "op name"},
        {"--digest", "digest", K::kString, "digest, 'latest' (default) or vN", "\"latest\""}},
       "weft op read --project acme/app --name build"},
      {"ops", "query", "ops_query", "List op versions", "project_id",
       {{"--name", "filter.op_names", K::kList, "only these op names (repeat)"},
        {"--latest", "filter.latest_only", K::kBool, "only the latest version of each"}},
       "weft ops query --project acme/app --latest", OutputKind::kJson, "op_objs", kObjColumns},
      {"table", "create", "table_create", "Store a table of rows (answers its digest)",
       "table.project_id",
       {{"--rows", "table.rows", K::kJson, "the rows: a JSON list of objects"}},
       "weft table create --project acme/app --rows '[{\"x\": 1}, {\"x\": 2}]'"},
      {"table", "update", "table_update", "Derive a new table by append, insert and pop",
       "project_id",
       {{"--base", "base_digest", K::kString, "digest of the table to start from"},
        {"--updates", "updates", K::kJson, "the updates: a JSON list of {append|insert|pop}"}},
       "weft table update --project acme/app --base DIGEST --updates '[{\"append\": {\"row\": {\"x\": 3}}}]'"},
      {"table", "query", "table_query", "Read the rows of a table, in table order", "project_id",
       {{"--digest", "digest", K::kString, "table digest"},
        {"--row-digest", "filter.row_digests", K::kList, "only rows with these digests (repeat)"},
        {"--sort", "sort_by", K::kSort, "sort by a dotted path into the rows[:asc|desc] (repeat)"},
        {"--limit", "limit", K::kInt, "at most N rows"},
        {"--offset", "offset", K::kInt, "skip the first N rows"}},
       "weft table query --project acme/app --digest DIGEST --limit 10", OutputKind::kJson, "rows",
       "original_index,digest,val"},
      {"file", "create", "file_create", "Store a file's bytes (answers their digest)", "project_id",
       {{"--name", "name", K::kString, "file name (informational)"},
        {"--content-file", "content", K::kBytes, "read the bytes from PATH, or - for stdin"}},
       "weft file create --project acme/app --name report.txt --content-file report.txt"},
      {"file", "content-read", "file_content_read", "Write a file's raw bytes to stdout",
       "project_id", {{"--digest", "digest", K::kString, "file digest"}},
       "weft file content-read --project acme/app --digest DIGEST > out.txt", OutputKind::kBytes},
      {"refs", "read-batch", "refs_read_batch", "Resolve object and op refs to their values", "",
       {{"refs", "refs", K::kList, "weave:/// refs to read"}},
       "weft refs read-batch 'weave:///acme/app/object/config:latest/key/lr'"},
      {"project", "ensure", "ensure_project_exists", "Register a project (idempotent)",
       "entity+project",
       {{"--entity", "entity", K::kString, "entity (the part before '/')"},
        {"--name", "project", K::kString, "project name (the part after '/')"}},
       "weft project ensure --project acme/app"},
  };
  return kCommands;
}

const char* GroupSummary(const std::string& group) {
  static const std::map<std::string, const char*> kGroups = {
      {"call", "Record and read single calls"}, {"feedback", "Feedback on calls and objects"}, {"calls", "Query and delete calls"},
      {"obj", "Versioned objects"},        {"objs", "Query objects"},
      {"op", "Versioned ops"},             {"ops", "Query ops"},
      {"table", "Tables of rows"},         {"file", "Files"},
      {"refs", "Resolve refs"},            {"project", "Projects"},
  };
  auto it = kGroups.find(group);
  return it == kGroups.end() ? "" : it->second;
}

}  // namespace weft::cli
