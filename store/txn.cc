// Txn and Cursor over the LMDB C API.
#include "store/txn.h"

#include <lmdb.h>

#include <cstring>

#include "store/checksum.h"

namespace weft {
namespace {

MDB_val Val(std::string_view s) { return {s.size(), const_cast<char*>(s.data())}; }
std::string_view View(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

// The smallest string greater than every string that starts with prefix;
// empty when there is none (prefix is all 0xFF).
std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

constexpr size_t kChecksumBytes = 4;

uint32_t RecordChecksum(std::string_view key, std::string_view value) {
  return Crc32c(Crc32c(0, key), value);
}

// The value without its checksum, or nullopt when they do not match.
std::optional<std::string_view> Checked(std::string_view key, std::string_view stored) {
  if (stored.size() < kChecksumBytes) return std::nullopt;
  std::string_view value = stored.substr(0, stored.size() - kChecksumBytes);
  uint32_t want;
  std::memcpy(&want, stored.data() + value.size(), kChecksumBytes);  // little-endian, as written
  if (want != RecordChecksum(key, value)) return std::nullopt;
  return value;
}

}  // namespace

Error Damaged(Db db, std::string_view key) {
  std::string shown;
  for (unsigned char c : key.substr(0, 80))
    shown += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '.';
  return StoreError(std::string("the store is damaged: a record of ") + DbName(db) + " (key '" +
                    shown + "') fails its checksum; restore the store from a backup");
}

Error Txn::Fail(const char* call, int rc) {
  if (rc == MDB_MAP_FULL) map_full_ = true;
  return StoreError(std::string(call) + " failed: " + mdb_strerror(rc));
}

std::optional<unsigned> Txn::Handle(Db db) const {
  return dbis_ && txn_ ? (*dbis_)[static_cast<int>(db)] : std::nullopt;
}

size_t Txn::id() const { return txn_ ? mdb_txn_id(txn_) : 0; }

Result<std::optional<std::string_view>> Txn::Get(Db db, std::string_view key) {
  auto dbi = Handle(db);
  if (!dbi) return std::optional<std::string_view>();
  Touched();
  MDB_val k = Val(key), v;
  int rc = mdb_get(txn_, *dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  if (rc != 0) return Fail("mdb_get", rc);
  if (!Checksummed(db)) return std::optional<std::string_view>(View(v));
  auto value = Checked(key, View(v));
  if (!value) return Damaged(db, key);
  return value;
}

Status Txn::Put(Db db, std::string_view key, std::string_view value) {
  if (!txn_) return Status::OK();
  auto dbi = Handle(db);
  if (!dbi) return StoreError(std::string("the store has no ") + DbName(db) + " sub-database");
  if (key.size() > static_cast<size_t>(mdb_env_get_maxkeysize(env_)))
    return Invalid("a key of the store is too long (" + std::to_string(key.size()) + " bytes)");
  // A writer reads pages to find where each record goes: they are let go
  // as a scan's are, whatever the writer (ARCHITECTURE.md#memory).
  Touched();
  bool sum = Checksummed(db);
  MDB_val k = Val(key), v = {value.size() + (sum ? kChecksumBytes : 0), nullptr};
  // Keys mostly arrive in order (UUIDv7 ids, start times): appending fills
  // pages where a plain insert would split them in half. MDB_APPEND refuses
  // a key that is not past the last one, which then goes in the usual way.
  // MDB_RESERVE: the value is written straight into its page.
  int rc = mdb_put(txn_, *dbi, &k, &v, MDB_APPEND | MDB_RESERVE);
  if (rc == MDB_KEYEXIST) rc = mdb_put(txn_, *dbi, &k, &v, MDB_RESERVE);
  if (rc != 0) return Fail("mdb_put", rc);
  char* out = static_cast<char*>(v.mv_data);
  if (!value.empty()) std::memcpy(out, value.data(), value.size());
  if (sum) {
    uint32_t crc = RecordChecksum(key, value);
    std::memcpy(out + value.size(), &crc, kChecksumBytes);
  }
  return Status::OK();
}

Status Txn::Del(Db db, std::string_view key) {
  if (!txn_) return Status::OK();
  auto dbi = Handle(db);
  if (!dbi) return Status::OK();
  MDB_val k = Val(key);
  int rc = mdb_del(txn_, *dbi, &k, nullptr);
  if (rc != 0 && rc != MDB_NOTFOUND) return Fail("mdb_del", rc);
  return Status::OK();
}

Status Txn::ScanAll(
    Db db, const std::function<void(std::string_view, std::optional<std::string_view>)>& fn) {
  auto dbi = Handle(db);
  if (!dbi) return Status::OK();
  MDB_cursor* c;
  int rc = mdb_cursor_open(txn_, *dbi, &c);
  if (rc != 0) return Fail("mdb_cursor_open", rc);
  MDB_val k, v;
  for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
    fn(View(k),
       Checksummed(db) ? Checked(View(k), View(v)) : std::optional<std::string_view>(View(v)));
    Touched();
  }
  mdb_cursor_close(c);
  return rc == MDB_NOTFOUND ? Status::OK() : Fail("mdb_cursor_get", rc);
}

Status Txn::Clear(Db db) {
  auto dbi = Handle(db);
  if (!dbi || !txn_) return Status::OK();
  int rc = mdb_drop(txn_, *dbi, 0);
  return rc == 0 ? Status::OK() : Fail("mdb_drop", rc);
}

Result<uint64_t> Txn::FreePages() {
  if (!txn_) return uint64_t{0};
  MDB_cursor* c;
  int rc = mdb_cursor_open(txn_, 0, &c);  // database 0 is LMDB's free list
  if (rc != 0) return Fail("mdb_cursor_open", rc);
  uint64_t pages = 0;
  MDB_val k, v;
  for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
    if (v.mv_size >= sizeof(size_t))
      pages += *static_cast<const size_t*>(v.mv_data);  // an IDL: its count first
  mdb_cursor_close(c);
  return pages;
}

void Txn::ReleaseMappedPages() {
  if (release_) release_();
}

Result<Cursor> Txn::Open(Db db) {
  auto dbi = Handle(db);
  if (!dbi) return Cursor();
  MDB_cursor* c;
  int rc = mdb_cursor_open(txn_, *dbi, &c);
  if (rc != 0) return Fail("mdb_cursor_open", rc);
  return Cursor(c, Checksummed(db), this);
}

Status Txn::ForEach(Db db, std::string_view prefix, const Visit& fn, bool reverse) {
  return ForEach(db, KeyRange{prefix, "", ""}, fn, reverse);
}

Status Txn::ForEach(Db db, const KeyRange& r, const Visit& fn, bool reverse) {
  WEFT_ASSIGN(Cursor c, Open(db));
  bool more = !reverse        ? c.Seek(std::max(r.prefix, r.first))
              : r.end.empty() ? c.SeekLast(r.prefix)
                              : c.SeekBefore(r.end);
  auto inside = [&](std::string_view key) {
    return key.starts_with(r.prefix) && (r.end.empty() || key < r.end) &&
           (r.first.empty() || key >= r.first);
  };
  for (; more && inside(c.key()); more = reverse ? c.Prev() : c.Next()) {
    WEFT_ASSIGN(bool go_on, fn(c.key(), c.value()));
    if (!go_on) break;
  }
  if (c.damaged()) return Damaged(db, c.key());
  return Status::OK();
}

Cursor::~Cursor() {
  if (c_) mdb_cursor_close(c_);
}

bool Cursor::Move(int op, std::string_view key) {
  if (!c_) return false;
  txn_->Touched();
  MDB_val k = Val(key), v;
  if (mdb_cursor_get(c_, &k, &v, static_cast<MDB_cursor_op>(op)) != 0) return false;
  key_ = View(k);
  val_ = View(v);
  if (!checksummed_) return true;
  auto value = Checked(key_, val_);
  if (!value) return !(damaged_ = true);
  val_ = *value;
  return true;
}

bool Cursor::Seek(std::string_view key) {
  return key.empty() ? Move(MDB_FIRST) : Move(MDB_SET_RANGE, key);
}
bool Cursor::Next() { return Move(MDB_NEXT); }
bool Cursor::Prev() { return Move(MDB_PREV); }

bool Cursor::SeekBefore(std::string_view key) { return Seek(key) ? Prev() : Move(MDB_LAST); }

bool Cursor::SeekLast(std::string_view prefix) {
  std::string end = PrefixEnd(prefix);
  bool found = end.empty() ? Move(MDB_LAST) : SeekBefore(end);
  return found && key_.substr(0, prefix.size()) == prefix;
}

}  // namespace weft
