// One LMDB transaction over weft's named sub-databases, and cursors over
// key ranges. A Txn without an environment is the empty store: reads find
// nothing and writes are accepted and dropped (used for the dry run of a
// write against a store that does not exist yet).
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/keys.h"

// LMDB's handles, declared here so that <lmdb.h> stays inside store/.
typedef struct MDB_env MDB_env;
typedef struct MDB_txn MDB_txn;
typedef struct MDB_cursor MDB_cursor;

namespace weft {

class Cursor;

// The handle of each sub-database (an MDB_dbi), opened once per environment;
// nullopt for one that does not exist.
using DbHandles = std::array<std::optional<unsigned>, kDbCount>;

class Txn {
 public:
  Txn(MDB_env* env, MDB_txn* txn, bool writable, const DbHandles* dbis)
      : env_(env), txn_(txn), writable_(writable), dbis_(dbis) {}
  // What ReleaseMappedPages does: set by the Store that made this Txn.
  void set_release(std::function<void()> release) { release_ = std::move(release); }
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  bool writable() const { return writable_; }
  // LMDB's id of the transaction (0 for the empty store's): the writes of
  // one group (Store::Write) share it.
  size_t id() const;
  // The store's format (keys.h; set by the Store from the format stamp):
  // from format 2 on, values carry a CRC-32C of key and value.
  void set_format(int format) {
    format_ = format;
    checksums_ = format >= kFirstChecksummedFormat;
  }
  int format() const { return format_; }

  // The value under key, or nullopt. The view is valid until the Txn ends
  // or the next write.
  Result<std::optional<std::string_view>> Get(Db db, std::string_view key);
  Status Put(Db db, std::string_view key, std::string_view value);
  // Deleting a missing key is not an error.
  Status Del(Db db, std::string_view key);

  Result<Cursor> Open(Db db);

  // Calls fn(key, value) for each key that starts with prefix, in key
  // order (reverse: last first), until fn answers false or fails.
  using Visit = std::function<Result<bool>(std::string_view key, std::string_view value)>;
  Status ForEach(Db db, std::string_view prefix, const Visit& fn, bool reverse = false);
  // The same over the keys under prefix from `first` on (inclusive; "" for
  // the prefix's first) and before `end` (exclusive; "" for none after).
  struct KeyRange {
    std::string_view prefix, first, end;
  };
  Status ForEach(Db db, const KeyRange& range, const Visit& fn, bool reverse = false);

  // Every record of db, damaged ones included: fn gets the value, or
  // nullopt for a record that fails its checksum (weft check).
  Status ScanAll(
      Db db,
      const std::function<void(std::string_view key, std::optional<std::string_view> value)>& fn);

  // Empties db (weft check --repair rebuilds the call indexes).
  Status Clear(Db db);

  // How many pages LMDB's free list holds, for reuse by later writes.
  Result<uint64_t> FreePages();

  // Lets the kernel drop the pages of the map this process has touched,
  // once its memory passes the store's budget (Store::kMemoryBudget): they
  // stay in the page cache, and come back on the next read. A Txn asks by
  // itself every kReleaseEvery records it reads or writes, so that a long
  // scan's memory stays flat however much it reads; code that reads in
  // many short transactions asks at the end of each.
  void ReleaseMappedPages();

  // Set when a Put failed because the map is full; Store grows it and retries.
  bool map_full() const { return map_full_; }

  // Writes a writer gathers over the transaction and makes at its end (the
  // call roll-ups, summed over all the calls a transaction writes): Store
  // calls Finish before the commit; a failure aborts the transaction.
  class Finisher {
   public:
    virtual ~Finisher() = default;
    virtual Status Finish(Txn& txn) = 0;
  };
  Finisher* finisher() const { return finisher_.get(); }
  void set_finisher(std::unique_ptr<Finisher> f) { finisher_ = std::move(f); }
  Status Finish() { return finisher_ ? finisher_->Finish(*this) : Status::OK(); }

 private:
  friend class Cursor;
  // The handle of db; nullopt when the sub-database does not exist.
  std::optional<unsigned> Handle(Db db) const;
  // Values of db carry checksums (all but the format stamp in meta).
  bool Checksummed(Db db) const { return checksums_ && db != Db::kMeta; }
  Error Fail(const char* call, int rc);
  // Counts a record read or written, and asks for a release every kReleaseEvery.
  void Touched() {
    if (++touched_ % kReleaseEvery == 0) ReleaseMappedPages();
  }

  MDB_env* env_;
  MDB_txn* txn_;
  bool writable_;
  bool map_full_ = false;
  bool checksums_ = false;
  // The kernel maps up to 15 cached neighbours with each page a record is
  // on: 256 records may map 16 MiB.
  static constexpr size_t kReleaseEvery = 256;
  size_t touched_ = 0;
  int format_ = kFormatVersion;
  std::function<void()> release_;
  std::unique_ptr<Finisher> finisher_;
  const DbHandles* dbis_;
};

// The error of a record that fails its checksum.
Error Damaged(Db db, std::string_view key);

// Walks keys in order. An empty cursor (sub-database or store missing)
// finds nothing.
class Cursor {
 public:
  Cursor() = default;
  // With `checksummed`, each value is checked and its checksum cut off;
  // each move counts as a record read of txn.
  Cursor(MDB_cursor* c, bool checksummed, Txn* txn) : c_(c), txn_(txn), checksummed_(checksummed) {}
  Cursor(Cursor&& o) noexcept
      : c_(o.c_),
        txn_(o.txn_),
        checksummed_(o.checksummed_),
        damaged_(o.damaged_),
        key_(o.key_),
        val_(o.val_) {
    o.c_ = nullptr;
  }
  Cursor& operator=(Cursor&&) = delete;
  ~Cursor();

  // Positions at the first key >= key; false if there is none.
  bool Seek(std::string_view key);
  // Positions at the last key that starts with prefix; false if none.
  bool SeekLast(std::string_view prefix);
  // Positions at the last key < key; false if there is none.
  bool SeekBefore(std::string_view key);
  bool Next();
  bool Prev();

  std::string_view key() const { return key_; }
  std::string_view value() const { return val_; }
  // Set when a value failed its checksum; the move that met it answered false.
  bool damaged() const { return damaged_; }

 private:
  bool Move(int op, std::string_view key = {});  // an MDB_cursor_op

  MDB_cursor* c_ = nullptr;
  Txn* txn_ = nullptr;
  bool checksummed_ = false, damaged_ = false;
  std::string_view key_, val_;
};

}  // namespace weft
