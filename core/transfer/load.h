// Writing records of the export format into the store (weft import, and
// weft pull with what it fetched): each record is checked as its interface
// method would check it, refs are rewritten for the destination project,
// and a call or feedback row that is there already is replaced, so that
// loading the same records twice changes nothing (docs/transfer.md#import).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "core/calls/calls.h"
#include "core/server.h"
#include "core/transfer/ref_map.h"

namespace weft {

struct LoadCounts {
  size_t files = 0, tables = 0, objects = 0, calls = 0, feedback = 0;
};

// "12,345 calls, 40 objects, 3 tables, 2 files, 5 feedback" for summaries.
std::string DescribeCounts(const LoadCounts& c);

class Loader {
 public:
  // With a rename, records of project `rename->first` go to
  // `rename->second`; every other project keeps its name.
  Loader(Context& ctx, std::optional<std::pair<std::string, std::string>> rename = std::nullopt)
      : ctx_(ctx), rename_(std::move(rename)) {}

  // One record, {"file"|"table"|"object"|"call"|"feedback": {...}}; `where`
  // ("line 12") starts its messages. Calls and feedback are buffered.
  // Given the record's text, a call keeps its inputs, attributes and output
  // as they are written there (so that export, import, export gives the
  // same bytes); otherwise they are stored as weft writes JSON.
  Status Add(const Json& record, const std::string& where, std::string_view text = {});
  // Writes what is buffered; call it at the end.
  Status Flush();
  const LoadCounts& counts() const { return counts_; }

 private:
  RefMap& MapFor(const std::string& project);
  Status AddFile(const Json& file, RefMap& map);
  Status AddTable(const Json& table, RefMap& map);
  Status AddObject(const Json& obj, RefMap& map, const std::string& where);
  Status AddCall(Json call, const std::string& where, std::string_view text);
  Status FlushCalls();
  Status FlushFeedback();

  Context& ctx_;
  std::optional<std::pair<std::string, std::string>> rename_;
  std::map<std::string, RefMap> maps_;  // by source project
  std::vector<std::vector<CallPart>> calls_;
  Json feedback_ = Json::array();
  LoadCounts counts_;
};

}  // namespace weft
