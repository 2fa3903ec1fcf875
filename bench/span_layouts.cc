// The ceiling a store layout puts on OTLP ingest (bench/RESULTS.md, OTLP):
// writes what weft's writer writes for each span (a call record and its
// index entries) straight into LMDB, one thread, a durable commit every
// BATCH spans, with spans shaped as bench/otlp_load.py sends them (random
// 64-bit span ids, traces of 10: a root and nine children). No parsing, no
// mapping: the least any implementation of the layout could do.
//
//   id    calls keyed by call id (weft's layout): each span lands at a
//         random place in the call table
//   time  calls keyed by start time then id, found by id through a small
//         id -> key index (the order-preserving layout issue 20 proposed)
//
// --no-index leaves out the six query indexes (start, trace, parent, op,
// end, latency); --no-sync commits without fsync (not durable).
//
// usage: span_layouts id|time SPANS BATCH RECORD_BYTES DIR [--no-index] [--no-sync]
// Prints two numbers: spans/s over all spans, and over the last tenth (the
// store's size at the end is what the rate depends on).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "bench/raw_lmdb.h"

namespace {

std::string Be64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) s[i] = static_cast<char>(v & 0xff);
  return s;
}

struct Dbs {
  MDB_dbi calls, by_id, by_start, by_trace, by_parent, by_op, by_end, by_latency;
};

void Put(MDB_txn* txn, MDB_dbi dbi, const std::string& key, const std::string& value) {
  MDB_val k{key.size(), const_cast<char*>(key.data())};
  MDB_val v{value.size(), const_cast<char*>(value.data())};
  raw_lmdb::Check(mdb_put(txn, dbi, &k, &v, 0), "mdb_put");
}

// One span's writes: the record and the index entries weft's format 4
// writes for an ended OTel span (start, trace, parent, op, end, latency).
void WriteSpan(MDB_txn* txn, const Dbs& d, bool by_time, bool indexed, const std::string& id,
               const std::string& trace, const std::string& parent, uint64_t start,
               const std::string& record) {
  const std::string p = std::string("bench/p") + '\0', t = Be64(start);
  const std::string end = Be64(start + 1500000), latency = Be64(1500000);
  if (by_time) {
    Put(txn, d.calls, p + t + id, record);
    Put(txn, d.by_id, p + id, t);
  } else {
    Put(txn, d.calls, p + id, record);
  }
  if (!indexed) return;
  Put(txn, d.by_start, p + t + id, "");
  Put(txn, d.by_trace, p + trace + '\0' + t + id, "");
  Put(txn, d.by_parent, p + parent + '\0' + t + id, "");
  Put(txn, d.by_op, p + "weave:///bench/p/op/chat:*" + '\0' + t + id, "");
  Put(txn, d.by_end, p + end + id, "");
  Put(txn, d.by_latency, p + latency + id, "");
}

MDB_dbi Open(MDB_txn* txn, const char* name) {
  MDB_dbi dbi;
  raw_lmdb::Check(mdb_dbi_open(txn, name, MDB_CREATE, &dbi), name);
  return dbi;
}

}  // namespace

int main(int argc, char** argv) {
  bool indexed = true, sync = true, usage = argc < 6;
  for (int i = 6; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-index") == 0)
      indexed = false;
    else if (std::strcmp(argv[i], "--no-sync") == 0)
      sync = false;
    else
      usage = true;
  }
  if (usage || (std::strcmp(argv[1], "id") != 0 && std::strcmp(argv[1], "time") != 0)) {
    std::fprintf(
        stderr,
        "usage: span_layouts id|time SPANS BATCH RECORD_BYTES DIR [--no-index] [--no-sync]\n");
    return 2;
  }
  const bool by_time = std::strcmp(argv[1], "time") == 0;
  const long spans = std::atol(argv[2]), batch = std::atol(argv[3]);
  const std::string record(std::atol(argv[4]), 'r');
  MDB_env* env = raw_lmdb::Open(argv[5], sync ? 0 : MDB_NOSYNC);
  MDB_txn* txn;
  raw_lmdb::Check(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
  Dbs d{Open(txn, "calls"),     Open(txn, "by_id"), Open(txn, "by_start"), Open(txn, "by_trace"),
        Open(txn, "by_parent"), Open(txn, "by_op"), Open(txn, "by_end"),   Open(txn, "by_latency")};
  std::mt19937_64 rng(7);
  std::string trace, root;
  auto begin = std::chrono::steady_clock::now(), last_tenth = begin;
  for (long i = 0; i < spans; ++i) {
    if (i == spans - spans / 10) last_tenth = std::chrono::steady_clock::now();
    std::string id = Be64(rng());
    if (i % 10 == 0) trace = Be64(rng()) + Be64(rng()), root = id;
    WriteSpan(txn, d, by_time, indexed, id, trace, i % 10 == 0 ? "" : root,
              uint64_t{1700000000000000000} + uint64_t(i) * 1000000, record);
    if ((i + 1) % batch == 0 || i + 1 == spans) {
      raw_lmdb::Check(mdb_txn_commit(txn), "mdb_txn_commit");
      if (i + 1 < spans) raw_lmdb::Check(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
    }
  }
  auto end = std::chrono::steady_clock::now();
  std::chrono::duration<double> all = end - begin, tail = end - last_tenth;
  std::printf("%.0f %.0f\n", spans / all.count(), (spans / 10) / tail.count());
  mdb_env_close(env);
}
