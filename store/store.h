// A weft store: one LMDB environment in one directory, and the single
// transaction each command runs in.
//
// Thread-compatible, not thread-safe: one Store per process, used from one
// thread. Many processes may open the same store at once; LMDB serialises
// their writers and never blocks readers.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/txn.h"

namespace weft {

class Store {
 public:
  // Opens the store in `dir`. A store that does not exist is not created:
  // it reads as empty, and the first Write creates it.
  // The map starts at initial_map_size bytes and doubles whenever full.
  explicit Store(std::string dir, size_t initial_map_size = size_t{1} << 30);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  bool exists() const;
  const std::string& dir() const { return dir_; }

  // Runs fn in one read transaction (an empty view if the store does not exist).
  Status Read(const std::function<Status(Txn&)>& fn);

  // Runs fn in one write transaction and commits it if fn succeeds; nothing
  // is written otherwise. When the store does not exist yet, fn first runs
  // against the empty view so that a failing request creates nothing. fn is
  // run again from the start if the map has to grow, so it must only act
  // through the Txn.
  Status Write(const std::function<Status(Txn&)>& fn);

 private:
  Status Open(bool for_write);
  // mdb_env_create + mdb_env_open; on failure env_ stays null.
  int OpenEnv(unsigned flags);
  Status RunWrite(const std::function<Status(Txn&)>& fn);

  // Drops the pages of data.mdb's mapping from this process; where it is
  // mapped is looked up once per transaction (LMDB does not say unless
  // MDB_FIXEDMAP).
  void ReleaseMappedPages();

  std::string dir_;
  size_t initial_map_size_;
  void* map_ = nullptr;  // found on the first release in a transaction
  size_t map_size_ = 0;
  MDB_env* env_ = nullptr;
  bool writable_ = false;
};

}  // namespace weft
