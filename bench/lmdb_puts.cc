// The raw-LMDB baseline of bench/run.py: puts every line of an NDJSON file
// of calls (bench/gen_calls.py's) into one fresh LMDB environment, keyed by
// its call id and part ("<id> start" / "<id> end"), in one transaction with
// a durable commit — the least a store could do with the same bytes. Prints
// the seconds it took, input read included.
//
// usage: lmdb_puts CALLS.ndjson DIR
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bench/raw_lmdb.h"

namespace {

// The value of "id" in a line, and whether it is a start.
std::string KeyOf(const std::string& line) {
  auto at = line.find("\"id\": \"");
  if (at == std::string::npos) return line.substr(0, 64);
  at += 7;
  std::string id = line.substr(at, line.find('"', at) - at);
  return id + (line.find("\"mode\": \"start\"") != std::string::npos ? " start" : " end");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: lmdb_puts CALLS.ndjson DIR\n");
    return 2;
  }
  auto begin = std::chrono::steady_clock::now();
  MDB_env* env = raw_lmdb::Open(argv[2], 0);
  MDB_txn* txn;
  MDB_dbi dbi;
  raw_lmdb::Check(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
  raw_lmdb::Check(mdb_dbi_open(txn, nullptr, 0, &dbi), "mdb_dbi_open");
  std::ifstream in(argv[1]);
  std::string line;
  while (std::getline(in, line)) {
    std::string key = KeyOf(line);
    MDB_val k{key.size(), key.data()}, v{line.size(), line.data()};
    raw_lmdb::Check(mdb_put(txn, dbi, &k, &v, 0), "mdb_put");
  }
  raw_lmdb::Check(mdb_txn_commit(txn), "mdb_txn_commit");
  mdb_env_close(env);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - begin;
  std::printf("%.3f\n", took.count());
}
