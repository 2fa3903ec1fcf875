// The trace server: every method of Weave's TraceServerInterface, called by
// name with its request as JSON, answering its response as JSON. Each call
// runs in exactly one store transaction.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace weft {

class Store;  // store/store.h

struct Context {
  Store* store = nullptr;
  // Who wb_user_id names where the server fills it in; asked for (once)
  // only by methods that need it, since looking the user up costs time.
  std::function<std::string()> find_user;
  const std::string& user() const {
    if (!user_) user_ = find_user ? find_user() : std::string();
    return *user_;
  }
  // Unknown request fields and other notes for stderr, shown on success.
  std::vector<std::string> warnings;
  // Streaming methods hand each result here instead of collecting them.
  std::function<void(const Json&)> emit;
  // Long methods (calls_import) report how far they are, when set; total
  // is 0 when it is not known ahead.
  std::function<void(size_t done, size_t total)> progress;
  // calls_import without `ndjson` reads its input from here, a block at a
  // time: up to size bytes into buf, 0 at the end.
  std::function<Result<size_t>(char* buf, size_t size)> input;

 private:
  mutable std::optional<std::string> user_;
};

// The trace server over the store in one folder: what a front end (the
// CLI, the HTTP server) holds. The store is opened on first use.
class TraceServer {
 public:
  explicit TraceServer(std::string store_dir);
  ~TraceServer();
  Context& ctx() { return ctx_; }
  const std::string& store_dir() const { return dir_; }
  // A compacted copy of the store in the new or empty folder dest, taken
  // while writers go on.
  Status Backup(const std::string& dest);
  // Compacts the store in place (Store::Compact): its size before and after.
  Result<std::pair<uint64_t, uint64_t>> Compact();
  // Per project: calls, objects, tables, rows, files and feedback with
  // their bytes; and the store's size, free pages, readers and map size.
  Result<Json> Stats();
  // Reads every record and answers what is wrong (core/check.h); with
  // repair, first writes a backup to backup_dir, then repairs.
  Result<Json> Check(bool repair = false, const std::string& backup_dir = "");
  // How long writes wait for another process's write (Store::SetWriteWait).
  void SetWriteWait(double seconds, std::function<void(long holder_pid)> waiting);

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
  Context ctx_;
};

// Whether a method exists (by its interface name, e.g. "obj_create").
bool HasMethod(const std::string& method);

// Runs one method. Binary content (file_create's bytes) may be passed as a
// JSON binary value; file_content_read answers one.
Result<Json> CallMethod(const std::string& method, const Json& request, Context& ctx);

}  // namespace weft
