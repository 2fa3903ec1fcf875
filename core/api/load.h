// Writing records of the export format into the store (weft import, and
// weft pull with what it fetched): each record is checked as its interface
// method would check it, every digest is recomputed from the content and
// must match, every record goes to the one destination project (its refs
// rewritten), and a call that is there already with other content is kept
// unless replacing was asked for; loading the same records twice changes
// nothing (docs/transfer.md#import).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "core/api/context.h"
#include "core/api/ref_map.h"

namespace weft {

struct CallPart;  // core/calls/calls.h

struct LoadCounts {
  size_t files = 0, tables = 0, objects = 0;
  size_t calls = 0;  // written or found as they are: new + unchanged + replaced
  size_t feedback = 0;
  size_t prices = 0;  // a project's own prices (cost_create)
  size_t calls_new = 0, calls_unchanged = 0, calls_replaced = 0;
  size_t calls_kept = 0;  // there already with other content, and not replaced
};

// "12,345 calls (12,000 new, 345 unchanged), 40 objects, 3 tables, 2
// files, 5 feedback" for summaries; kept calls are named with the way to
// replace them.
std::string DescribeCounts(const LoadCounts& c);

struct LoadOptions {
  // Where every record goes, whatever project it names (its refs to its
  // own project rewritten). Empty: each record keeps its project.
  std::string destination;
  // A call already in the store with other content is replaced (otherwise
  // kept and counted).
  bool replace = false;
};

class Loader {
 public:
  Loader(Context& ctx, LoadOptions opts = {});
  ~Loader();

  // One record, {"file"|"table"|"object"|"call"|"feedback"|"price": {...}}; `where`
  // ("line 12") starts its messages. Calls and feedback are buffered.
  Status Add(const Json& record, const std::string& where);
  // The same as a line of text: a call record of the usual shape
  // (core/calls/fast_item.h) is read without a JSON tree.
  Status AddText(std::string_view line, const std::string& where);
  // Writes what is buffered; call it at the end.
  Status Flush();
  const LoadCounts& counts() const { return counts_; }

 private:
  RefMap& MapFor(const std::string& project);
  Status AddFile(const Json& file, RefMap& map);
  Status AddTable(const Json& table, RefMap& map);
  Status AddObject(const Json& obj, RefMap& map, const std::string& where);
  Status AddCall(Json call, const std::string& where);
  Status AddParts(std::vector<CallPart> parts);
  Status AddPrice(const Json& row, RefMap& map);
  Status FlushCalls();
  Status WriteCalls();
  Status WaitCalls();
  Status FlushFeedback();

  Context& ctx_;
  LoadOptions opts_;
  std::map<std::string, RefMap> maps_;  // by source project
  std::vector<std::vector<CallPart>> calls_;
  // The batch being written on writer_, and how that went.
  std::vector<std::vector<CallPart>> writing_;
  std::thread writer_;
  Status written_;
  LoadCounts done_;
  Json feedback_ = Json::array();
  LoadCounts counts_;
};

}  // namespace weft
