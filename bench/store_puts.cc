// The least any implementation of weft's store format could do to import
// a set of calls (bench/RESULTS.md, import): reads every entry of a weft
// store that `calls import` filled (the call records, their indexes and
// roll-ups) and puts them into a fresh LMDB environment, table by table in
// key order (as lmdb_puts puts its lines: mdb_put, keys in order), in one transaction with a
// durable commit. bench/run.py sets its time beside lmdb_puts' (the NDJSON lines under their ids)
// and `calls import`'s own.
//
// usage: store_puts STORE_DIR DIR
// Prints the seconds the puts and the commit took, and the entries put.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/raw_lmdb.h"

namespace {

// The names of the store's tables (the main table's keys).
std::vector<std::string> Tables(MDB_txn* txn) {
  MDB_dbi main;
  raw_lmdb::Check(mdb_dbi_open(txn, nullptr, 0, &main), "mdb_dbi_open");
  MDB_cursor* c;
  raw_lmdb::Check(mdb_cursor_open(txn, main, &c), "mdb_cursor_open");
  std::vector<std::string> names;
  MDB_val k, v;
  for (int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
    names.emplace_back(static_cast<const char*>(k.mv_data), k.mv_size);
  mdb_cursor_close(c);
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: store_puts STORE_DIR DIR\n");
    return 2;
  }
  MDB_env* from = raw_lmdb::Open(argv[1], MDB_RDONLY);
  MDB_env* to = raw_lmdb::Open(argv[2], 0);
  MDB_txn *r, *w;
  raw_lmdb::Check(mdb_txn_begin(from, nullptr, MDB_RDONLY, &r), "mdb_txn_begin");
  auto begin = std::chrono::steady_clock::now();
  raw_lmdb::Check(mdb_txn_begin(to, nullptr, 0, &w), "mdb_txn_begin");
  long entries = 0;
  for (const std::string& name : Tables(r)) {
    MDB_dbi in, out;
    raw_lmdb::Check(mdb_dbi_open(r, name.c_str(), 0, &in), name.c_str());
    raw_lmdb::Check(mdb_dbi_open(w, name.c_str(), MDB_CREATE, &out), name.c_str());
    MDB_cursor* c;
    raw_lmdb::Check(mdb_cursor_open(r, in, &c), "mdb_cursor_open");
    MDB_val k, v;
    for (int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
      raw_lmdb::Check(mdb_put(w, out, &k, &v, 0), "mdb_put");
      ++entries;
    }
    mdb_cursor_close(c);
  }
  raw_lmdb::Check(mdb_txn_commit(w), "mdb_txn_commit");
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - begin;
  mdb_txn_abort(r);
  mdb_env_close(from);
  mdb_env_close(to);
  std::printf("%.3f %ld\n", took.count(), entries);
}
