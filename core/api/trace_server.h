// The trace server, core's front door: every method of Weave's
// TraceServerInterface, called by name with its request as JSON, answering
// its response as JSON. Each call runs in exactly one store transaction.
// Front ends (cli/, http/, remote/) include only core/api/ (ARCHITECTURE.md).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "core/api/context.h"

namespace weft {

class Store;  // store/store.h

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
