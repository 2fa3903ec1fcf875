// Opening the LMDB environment, the format check, and the write loop that
// grows the map when it fills up.
#include "store/store.h"

#include <fcntl.h>
#include <lmdb.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <shared_mutex>
#include <thread>

namespace weft {
namespace {

namespace fs = std::filesystem;

// fcntl on the first byte of weft.lock: F_SETLK or F_GETLK with a lock type.
int LockByte(int fd, int cmd, short type, long* holder = nullptr) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_len = 1;
  int rc = fcntl(fd, cmd, &lock);
  if (holder) *holder = rc == 0 && lock.l_type != F_UNLCK ? lock.l_pid : 0;
  return rc;
}

Error EnvError(const char* call, int rc) {
  return StoreError(std::string(call) + " failed: " + mdb_strerror(rc));
}

// A failed commit, said plainly when the disk is full: LMDB reports a
// short write as EIO ("Input/output error"), which is what a full disk
// gives it.
Error CommitError(const std::string& dir, int rc) {
  struct statvfs fs;
  if ((rc == EIO || rc == ENOSPC || rc == EDQUOT) && statvfs(dir.c_str(), &fs) == 0 &&
      static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize < (uint64_t{64} << 20)) {
    char left[32];
    std::snprintf(left, sizeof left, "%.1f MB",
                  static_cast<double>(fs.f_bavail) * fs.f_frsize / 1e6);
    return StoreError("the disk holding " + dir + " is full (" + left +
                      " left): nothing was written; free space and retry");
  }
  return StoreError("cannot write " + dir + ": " + mdb_strerror(rc) + "; nothing was written");
}

// Refuses a store written by a newer weft; stamps a new store. A writer
// brings a format 2 or 3 store up to this weft's format first (upgrade).
Status CheckFormat(Txn& txn, const std::function<Status(Txn&, int)>& upgrade) {
  WEFT_ASSIGN(auto stamp, txn.Get(Db::kMeta, keys::kFormat));
  if (!stamp) {
    if (!txn.writable()) return Status::OK();
    txn.set_format(kFormatVersion);
    return txn.Put(Db::kMeta, keys::kFormat, std::to_string(kFormatVersion));
  }
  int version = std::atoi(std::string(*stamp).c_str());
  if (version > kFormatVersion)
    return StoreError("store format " + std::to_string(version) +
                      " is newer than this weft understands (" + std::to_string(kFormatVersion) +
                      "): upgrade weft");
  txn.set_format(version);
  if (!txn.writable() || version < kFirstChecksummedFormat || version == kFormatVersion || !upgrade)
    return Status::OK();
  txn.set_format(kFormatVersion);
  WEFT_TRY(upgrade(txn, version));
  return txn.Put(Db::kMeta, keys::kFormat, std::to_string(kFormatVersion));
}

}  // namespace

Store::Store(std::string dir, size_t initial_map_size)
    : dir_(std::move(dir)), initial_map_size_(initial_map_size) {}

Store::~Store() {
  if (env_) mdb_env_close(env_);
  if (lock_fd_ >= 0) close(lock_fd_);
}

void Store::SetWriteWait(double seconds, std::function<void(long)> waiting) {
  write_wait_ = seconds;
  waiting_ = std::move(waiting);
}

Status Store::LockWrites() {
  if (lock_fd_ < 0) {
    if (!exists())
      return Status::OK();  // the first write creates the store; nobody else is writing it
    lock_fd_ = open((fs::path(dir_) / "weft.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0664);
    if (lock_fd_ < 0) return Status::OK();  // a read-only store: the write itself will say so
  }
  auto start = std::chrono::steady_clock::now();
  bool told = false;
  for (;;) {
    if (LockByte(lock_fd_, F_SETLK, F_WRLCK) == 0) return Status::OK();
    if (errno != EACCES && errno != EAGAIN)
      return Status::OK();  // no locking here (some filesystems): LMDB's lock alone
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    long pid = 0;
    LockByte(lock_fd_, F_GETLK, F_WRLCK, &pid);
    if (waited >= write_wait_)
      return Busy("store is locked: " +
                  (pid ? "process " + std::to_string(pid) : std::string("another process")) +
                  " has held its write lock for over " +
                  std::to_string(static_cast<int>(write_wait_)) +
                  " s (stopped or stuck?); see --wait");
    if (!told && waited >= 1 && waiting_) {
      waiting_(pid);
      told = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Store::UnlockWrites() {
  if (lock_fd_ >= 0) LockByte(lock_fd_, F_SETLK, F_UNLCK);
}

bool Store::exists() const {
  std::error_code ec;
  return fs::exists(fs::path(dir_) / "data.mdb", ec);
}

Status Store::EnsureOpen(bool for_write) {
  {
    std::shared_lock lock(env_mutex_);
    if (env_ && (writable_ || !for_write)) return Status::OK();
  }
  std::unique_lock lock(env_mutex_);
  return Open(for_write);
}

// A data.mdb shorter than LMDB's two meta pages, or than the pages its meta
// page counts, was cut short (a full disk during a copy, a partial
// download): reading it would crash, and writing would hide the loss.
Status Store::CheckFileSize(uint64_t pages_need) {
  std::error_code ec;
  fs::path data = fs::path(dir_) / "data.mdb";
  uint64_t need = std::max<uint64_t>(pages_need, 2 * 4096), size = 0;
  // Another process creating the store writes its first pages within
  // microseconds; a file that stays short for a second is damaged.
  for (int tries = 0; tries < 100; ++tries) {
    if (!fs::exists(data, ec)) return Status::OK();
    size = fs::file_size(data, ec);
    if (ec) return StoreError("cannot read " + data.string() + ": " + ec.message());
    if (size >= need) return Status::OK();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return StoreError("store " + dir_ + " is damaged: " + data.string() + " is " +
                    std::to_string(size) + " bytes, but its pages need " + std::to_string(need) +
                    " (cut short?); restore it from a backup");
}

Status Store::Open(bool for_write) {
  if (env_ && (writable_ || !for_write)) return Status::OK();
  if (env_) {
    ForgetMap();
    mdb_env_close(env_);
    env_ = nullptr;
  }
  std::error_code ec;
  fs::path dir(dir_);
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    return StoreError("store " + dir_ + " is not a directory");
  if (!exists()) {
    // lock.mdb alone: another process is creating the store right now
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !fs::exists(dir / "lock.mdb", ec))
      return StoreError("store " + dir_ +
                        " is not a weft store (no data.mdb in a non-empty folder)");
    if (!for_write) return Status::OK();  // reads see an empty store
    fs::create_directories(dir, ec);
    if (ec) return StoreError("cannot create store " + dir_ + ": " + ec.message());
  }
  WEFT_TRY(CheckFileSize(0));
  unsigned flags = for_write ? 0 : MDB_RDONLY;
  int rc = OpenEnv(flags);
  if (!for_write && (rc == EACCES || rc == EROFS))  // a read-only folder can still be read
    rc = OpenEnv(flags | MDB_NOLOCK);
  if (rc == EACCES || rc == EROFS)
    return StoreError("store " + dir_ + " is read-only: " + std::strerror(rc));
  if (rc != 0)
    return StoreError("cannot open store " + dir_ + ": mdb_env_open failed: " + mdb_strerror(rc));
  writable_ = for_write;
  MDB_envinfo info;
  MDB_stat stat;
  mdb_env_info(env_, &info);
  mdb_env_stat(env_, &stat);
  if (Status size = CheckFileSize((info.me_last_pgno + 1) * stat.ms_psize); !size.ok()) {
    mdb_env_close(env_);
    env_ = nullptr;
    return size;
  }
  int dead = 0;
  mdb_reader_check(env_, &dead);  // frees the reader slots of killed processes
  return OpenDbs();
}

// LMDB allows one transaction at a time to open handles, so every
// sub-database is opened (for a writer, created) once, here.
Status Store::OpenDbs() {
  MDB_txn* txn;
  int rc = mdb_txn_begin(env_, nullptr, writable_ ? 0 : MDB_RDONLY, &txn);
  if (rc != 0) return EnvError("mdb_txn_begin", rc);
  for (int i = 0; i < kDbCount; ++i) {
    MDB_dbi dbi;
    rc = mdb_dbi_open(txn, DbName(static_cast<Db>(i)), writable_ ? MDB_CREATE : 0, &dbi);
    if (rc != 0 && rc != MDB_NOTFOUND) {
      mdb_txn_abort(txn);
      return EnvError("mdb_dbi_open", rc);
    }
    dbis_[i] = rc == 0 ? std::optional<unsigned>(dbi) : std::nullopt;
  }
  rc = mdb_txn_commit(txn);
  return rc == 0 ? Status::OK() : EnvError("mdb_txn_commit", rc);
}

void Store::ForgetMap() {
  std::lock_guard lock(map_mutex_);
  map_ = nullptr;
}

// Whether this process has more than budget bytes in memory, and at least
// a quarter of that in pages of files it maps (the kernel's RssFile +
// RssShmem: the store's pages, and the program's own), so that letting them
// go helps. Unknown counts as over.
static bool OverBudget(size_t budget) {
  static const int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  static const size_t page = sysconf(_SC_PAGESIZE);
  char buf[160];
  ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return true;
  buf[n] = '\0';
  unsigned long size, resident, shared;
  if (std::sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) != 3) return true;
  return resident * page > budget && shared * page >= budget / 4;
}

void Store::ReleaseMappedPages() {
  if (!OverBudget(memory_budget_)) return;
  std::lock_guard lock(map_mutex_);
  if (!map_) {
    std::error_code ec;
    std::string data = fs::canonical(fs::path(dir_) / "data.mdb", ec).string();
    std::ifstream maps("/proc/self/maps");
    for (std::string line; !ec && std::getline(maps, line);) {
      unsigned long begin, end;
      if (line.ends_with(" " + data) && std::sscanf(line.c_str(), "%lx-%lx", &begin, &end) == 2) {
        map_ = reinterpret_cast<void*>(begin);
        map_size_ = end - begin;
        break;
      }
    }
  }
  if (map_) madvise(map_, map_size_, MADV_DONTNEED);
}

// LMDB aborts the process when it meets a page that breaks its invariants
// (a damaged file); say what happened and exit 1 instead of dying of SIGABRT.
[[noreturn]] static void OnBrokenPage(MDB_env*, const char* what) {
  const char head[] = "weft: error: the store is damaged (LMDB: ";
  const char tail[] = "); restore it from a backup\n";
  ssize_t ignored = write(STDERR_FILENO, head, sizeof head - 1);
  ignored = write(STDERR_FILENO, what, std::strlen(what));
  ignored = write(STDERR_FILENO, tail, sizeof tail - 1);
  (void)ignored;
  _exit(1);
}

int Store::OpenEnv(unsigned flags) {
  int rc = mdb_env_create(&env_);
  if (rc == 0) {
    mdb_env_set_assert(env_, OnBrokenPage);
    mdb_env_set_maxdbs(env_, 32);
    mdb_env_set_mapsize(env_, initial_map_size_);
    // MDB_NOTLS: a read transaction is not tied to its thread, so server
    // threads can each hold one (ARCHITECTURE.md#concurrency).
    rc = mdb_env_open(env_, dir_.c_str(), flags | MDB_NOTLS, 0664);
  }
  if (rc != 0 && env_) {
    mdb_env_close(env_);
    env_ = nullptr;
  }
  return rc;
}

Status Store::AdoptMapSize(size_t grow_from) {
  std::unique_lock lock(env_mutex_);  // no transaction of this process is running
  ForgetMap();
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  if (grow_from != 0 && info.me_mapsize > grow_from)
    return Status::OK();                              // another thread grew it already
  int rc = mdb_env_set_mapsize(env_, grow_from * 2);  // 0: the size in the file
  return rc == 0 ? Status::OK() : EnvError("mdb_env_set_mapsize", rc);
}

Status Store::Backup(const std::string& dest) {
  if (!exists()) return NotFound("store " + dir_ + " does not exist: nothing to back up");
  std::error_code ec;
  if (fs::exists(dest, ec) && (!fs::is_directory(dest, ec) || !fs::is_empty(dest, ec)))
    return Invalid("backup: " + dest + " must be a new or empty folder");
  fs::create_directories(dest, ec);
  if (ec) return StoreError("cannot create " + dest + ": " + ec.message());
  WEFT_TRY(EnsureOpen(false));
  std::shared_lock lock(env_mutex_);
  int rc = mdb_env_copy2(env_, dest.c_str(), MDB_CP_COMPACT);
  if (rc != 0)
    return StoreError("cannot back up " + dir_ + " to " + dest + ": " + mdb_strerror(rc));
  return Status::OK();
}

void Store::CloseEnv() {
  std::unique_lock lock(env_mutex_);
  ForgetMap();
  if (env_) mdb_env_close(env_);
  env_ = nullptr;
  writable_ = false;
}

Result<std::pair<uint64_t, uint64_t>> Store::Compact() {
  if (!exists()) return NotFound("store " + dir_ + " does not exist: nothing to compact");
  std::lock_guard one_writer(write_mutex_);
  WEFT_TRY(LockWrites());
  struct Unlock {
    Store* store;
    ~Unlock() { store->UnlockWrites(); }
  } unlock{this};
  WEFT_TRY(EnsureOpen(false));
  fs::path data = fs::path(dir_) / "data.mdb", copy = fs::path(dir_) / "data.mdb.compact";
  std::error_code ec;
  uint64_t before = fs::file_size(data, ec);
  int fd = open(copy.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0664);
  if (fd < 0) return StoreError("cannot write " + copy.string() + ": " + std::strerror(errno));
  int rc;
  {
    std::shared_lock lock(env_mutex_);
    rc = mdb_env_copyfd2(env_, fd, MDB_CP_COMPACT);
  }
  if (rc == 0 && fsync(fd) != 0) rc = errno;
  close(fd);
  if (rc != 0) {
    fs::remove(copy, ec);
    return StoreError("cannot compact " + dir_ + ": " + mdb_strerror(rc));
  }
  // Every process with the environment open holds a shared lock on the
  // first byte of lock.mdb; ours goes with the environment. Holding it
  // exclusively keeps others from opening the store until the new file is
  // in place, and the first to open it then sets lock.mdb up afresh.
  CloseEnv();
  int lfd = open((fs::path(dir_) / "lock.mdb").c_str(), O_RDWR | O_CLOEXEC);
  if (lfd >= 0 && LockByte(lfd, F_SETLK, F_WRLCK) != 0) {
    long holder = 0;
    LockByte(lfd, F_GETLK, F_WRLCK, &holder);
    close(lfd);
    fs::remove(copy, ec);
    return Busy("store is in use by " +
                (holder ? "process " + std::to_string(holder) : std::string("another process")) +
                ": compact needs it to itself (stop weft serve and other readers first), or use "
                "weft backup");
  }
  bool swapped = std::rename(copy.c_str(), data.c_str()) == 0;
  int err = errno;
  if (swapped) {
    int dfd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) fsync(dfd), close(dfd);
  } else {
    fs::remove(copy, ec);
  }
  if (lfd >= 0) close(lfd);
  if (!swapped) return StoreError("cannot replace " + data.string() + ": " + std::strerror(err));
  return std::make_pair(before, static_cast<uint64_t>(fs::file_size(data, ec)));
}

namespace {

// Each project's records and bytes in db.
Status TallyDb(Txn& txn, Db db, StoreStats& st) {
  return txn.ForEach(db, "", [&](std::string_view key, std::string_view value) {
    auto& tally = st.projects[std::string(keys::ProjectOf(key))][db];
    ++tally.records;
    tally.bytes += key.size() + value.size();
    return true;
  });
}

}  // namespace

Result<StoreStats> Store::Stats() {
  StoreStats st;
  std::error_code ec;
  st.file_size = exists() ? fs::file_size(fs::path(dir_) / "data.mdb", ec) : 0;
  WEFT_TRY(Read([&](Txn& txn) -> Status {
    if (!env_) return Status::OK();
    MDB_envinfo info;
    MDB_stat stat;
    mdb_env_info(env_, &info);
    mdb_env_stat(env_, &stat);
    st.map_size = info.me_mapsize;
    st.page_size = stat.ms_psize;
    st.pages_used = info.me_last_pgno + 1;
    st.readers_in_use = info.me_numreaders;
    st.readers_max = info.me_maxreaders;
    for (int i = 0; i < kDbCount; ++i)
      if (static_cast<Db>(i) != Db::kMeta) WEFT_TRY(TallyDb(txn, static_cast<Db>(i), st));
    WEFT_ASSIGN(st.free_pages, txn.FreePages());
    return Status::OK();
  }));
  return st;
}

Status Store::Read(const std::function<Status(Txn&)>& fn) {
  WEFT_TRY(EnsureOpen(false));
  for (;;) {
    std::shared_lock lock(env_mutex_);
    if (!env_) {
      Txn empty(nullptr, nullptr, false, nullptr);
      return fn(empty);
    }
    MDB_txn* txn;
    int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
    if (rc == MDB_MAP_RESIZED) {  // another process grew the map
      lock.unlock();
      WEFT_TRY(AdoptMapSize(0));
      continue;
    }
    if (rc != 0) return EnvError("mdb_txn_begin", rc);
    Status s;
    {
      Txn t(env_, txn, false, &dbis_);
      t.set_release([this] { ReleaseMappedPages(); });
      s = CheckFormat(t, upgrade_);
      if (s.ok()) s = fn(t);
    }
    mdb_txn_abort(txn);
    return s;
  }
}

Status Store::Write(const std::function<Status(Txn&)>& fn) {
  if (!exists()) {
    Txn empty(nullptr, nullptr, true, nullptr);
    WEFT_TRY(fn(empty));
  }
  return groups_.Write(fn, [this](std::span<QueuedWrite* const> group) {
    // The write lock comes first: opening for writes starts an LMDB write
    // transaction too, which would wait without end for a stopped writer.
    std::lock_guard one_writer(write_mutex_);
    Status s = LockWrites();
    if (s.ok()) {
      s = EnsureOpen(true);
      if (s.ok()) WriteGroup(group);
      UnlockWrites();
    }
    if (!s.ok())
      for (QueuedWrite* w : group) w->status = s;
  });
}

void Store::WriteGroup(std::span<QueuedWrite* const> group) {
  while (!group.empty()) {
    size_t failed = group.size();  // the write that failed, or group.size()
    Status s = RunWrite([&](Txn& txn) -> Status {
      for (failed = 0; failed < group.size(); ++failed) WEFT_TRY(group[failed]->Run(txn));
      return Status::OK();
    });
    if (s.ok()) return;            // every status is OK
    if (failed == group.size()) {  // the commit failed, or what the writes left to their end
      if (group.size() == 1) group[0]->status = s;
      for (size_t i = 0; group.size() > 1 && i < group.size(); ++i) WriteGroup(group.subspan(i, 1));
      return;
    }
    // The write that failed gets its error; those before it are written
    // without it, and those after it as the next group.
    group[failed]->status = s;
    WriteGroup(group.first(failed));
    group = group.subspan(failed + 1);
  }
}

Status Store::RunWrite(const std::function<Status(Txn&)>& fn) {
  for (;;) {
    std::shared_lock lock(env_mutex_);
    MDB_txn* txn;
    int rc = mdb_txn_begin(env_, nullptr, 0, &txn);
    if (rc == MDB_MAP_RESIZED) {
      lock.unlock();
      WEFT_TRY(AdoptMapSize(0));
      continue;
    }
    if (rc != 0) return EnvError("mdb_txn_begin", rc);
    bool full;
    Status s;
    {
      Txn t(env_, txn, true, &dbis_);
      t.set_release([this] { ReleaseMappedPages(); });
      s = CheckFormat(t, upgrade_);
      if (s.ok()) s = fn(t);
      if (s.ok()) s = t.Finish();
      full = t.map_full();
    }
    if (s.ok() && !full) {
      rc = mdb_txn_commit(txn);
      if (rc == 0) {
        ReleaseMappedPages();  // what the writes read, once past the budget
        return Status::OK();
      }
      if (rc != MDB_MAP_FULL) return CommitError(dir_, rc);
    } else {
      mdb_txn_abort(txn);
      if (!full) return s;
    }
    MDB_envinfo info;
    mdb_env_info(env_, &info);
    lock.unlock();
    WEFT_TRY(AdoptMapSize(info.me_mapsize));
  }
}

}  // namespace weft
