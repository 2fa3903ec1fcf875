// A weft store: one LMDB environment in one directory, and the single
// transaction each command runs in.
//
// Thread-safe: threads of one process (the HTTP server's) share one Store;
// each Read or Write is one transaction on the calling thread. Many
// processes may open the same store at once; LMDB serialises their writers
// and never blocks readers. Growing the map waits until no transaction of
// this process is running.
#pragma once

#include <pthread.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/txn.h"
#include "store/write_group.h"

namespace weft {

// A shared mutex that lets a waiting exclusive locker in before new shared
// ones, so that growing the map is never starved by a stream of readers.
class WriterFirstMutex {
 public:
  WriterFirstMutex() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
  }
  ~WriterFirstMutex() { pthread_rwlock_destroy(&lock_); }
  WriterFirstMutex(const WriterFirstMutex&) = delete;
  WriterFirstMutex& operator=(const WriterFirstMutex&) = delete;
  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

// What a store holds and how full it is (weft stats).
struct StoreStats {
  uint64_t map_size = 0, file_size = 0, page_size = 0, pages_used = 0, free_pages = 0;
  unsigned readers_in_use = 0, readers_max = 0;
  struct Tally {
    uint64_t records = 0, bytes = 0;  // bytes: keys and values
  };
  // project -> sub-database -> tally
  std::map<std::string, std::map<Db, Tally>> projects;
};

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

  // A consistent, compacted copy of the store in the new or empty folder
  // dest, taken in one read transaction while writers go on.
  Status Backup(const std::string& dest);

  // Compacts the store in place: under the write lock, a compacted copy is
  // written beside data.mdb and renamed over it; only when no other process
  // has the store open (LMDB's lock file tells), so that none goes on with
  // the old file. Answers the file's size before and after.
  Result<std::pair<uint64_t, uint64_t>> Compact();

  // Counts per project and sub-database, and the environment's figures.
  Result<StoreStats> Stats();

  // How long a write waits for another process's write to finish before it
  // fails as Busy; `waiting` is called once, after a second of waiting, with
  // the process that holds the lock (0 when it cannot be known).
  void SetWriteWait(double seconds, std::function<void(long holder_pid)> waiting);

  // What brings a format 2 or 3 store (`from`) up to this weft's format:
  // run in the first write transaction that finds the older stamp, before
  // its own work (core adds the newer call indexes and the roll-ups). Set
  // before the first write.
  void SetUpgrade(std::function<Status(Txn&, int from)> upgrade) { upgrade_ = std::move(upgrade); }

  // Runs fn in a write transaction and commits it if fn succeeds; nothing
  // fn wrote is committed otherwise. When the store does not exist yet, fn
  // first runs against the empty view so that a failing request creates
  // nothing. fn is run again from the start if the map has to grow, so it
  // must only act through the Txn. Writes of other threads that wait for
  // this process's writer meanwhile share its transaction, in the order they
  // came (store/write_group.h); each fn sees the writes before it.
  Status Write(const std::function<Status(Txn&)>& fn);

  // How much memory a process holds (heap and mapped pages) before a
  // release lets the store's pages go (Txn::ReleaseMappedPages): a command
  // keeps the pages it reads as long as it can, and stays under 256 MiB at
  // 10M calls whatever it reads (issue 25).
  static constexpr size_t kMemoryBudget = size_t{176} << 20;
  void set_memory_budget(size_t bytes) { memory_budget_ = bytes; }

 private:
  // Opens the environment unless it is open as needed (env_mutex_ held
  // exclusively by Open).
  Status EnsureOpen(bool for_write);
  Status Open(bool for_write);
  Status OpenDbs();
  Status CheckFileSize(uint64_t pages_need);
  // Takes the map size another process set (grow_from 0), or doubles the
  // map from grow_from bytes unless another thread did already.
  Status AdoptMapSize(size_t grow_from);
  // mdb_env_create + mdb_env_open; on failure env_ stays null.
  int OpenEnv(unsigned flags);
  Status RunWrite(const std::function<Status(Txn&)>& fn);
  // Runs a group's writes in one transaction (write lock held), each status
  // set: a write that fails gets its error and the others are written
  // without it, in their order.
  void WriteGroup(std::span<QueuedWrite* const> group);
  // Takes weft.lock for this process's one writer (write_mutex_ held),
  // waiting at most write_wait_ seconds.
  Status LockWrites();
  void UnlockWrites();
  // Closes the environment (no transaction of this process may be running).
  void CloseEnv();

  // Drops the pages of data.mdb's mapping from this process once its memory
  // passes memory_budget_ (a read of /proc/self/statm
  // decides: cheap enough to ask every few hundred records, and after every
  // commit, so that a long writer's reads do not pile up either); where it is
  // mapped is looked up once after the map moved (LMDB does not say unless
  // MDB_FIXEDMAP).
  void ReleaseMappedPages();
  // Forgets where data.mdb is mapped, before the mapping moves or goes (a
  // release must never advise memory that is no longer the map).
  void ForgetMap();

  std::string dir_;
  size_t initial_map_size_;
  // Held shared by every transaction, exclusively to open the environment
  // or change its map size.
  WriterFirstMutex env_mutex_;
  MDB_env* env_ = nullptr;
  bool writable_ = false;
  DbHandles dbis_{};
  // Writes take write_mutex_ (one writer thread) and then an fcntl lock on
  // weft.lock (one writer process) before LMDB's own lock, whose wait has
  // no end: a stopped writer then makes others fail after write_wait_
  // instead of hanging.
  std::mutex write_mutex_;
  WriteGroups groups_;
  int lock_fd_ = -1;
  double write_wait_ = 10;
  std::function<void(long)> waiting_;
  std::function<Status(Txn&, int)> upgrade_;
  std::mutex map_mutex_;
  void* map_ = nullptr;  // found on the first release after the map moved
  size_t map_size_ = 0;
  size_t memory_budget_ = kMemoryBudget;
};

}  // namespace weft
