// What the raw-LMDB benchmarks (lmdb_puts, store_puts, span_layouts)
// share: stopping at an LMDB error, and opening an environment.
#pragma once

#include <errno.h>
#include <lmdb.h>

#include <cstdio>
#include <cstdlib>

namespace raw_lmdb {

// rc, or the program's end with a line naming what failed.
inline int Check(int rc, const char* what) {
  if (rc != 0) {
    std::fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, mdb_strerror(rc));
    std::exit(1);
  }
  return rc;
}

// The environment in dir, with room for 64 named tables and 64 GiB.
inline MDB_env* Open(const char* dir, unsigned flags) {
  MDB_env* env;
  Check(mdb_env_create(&env), "mdb_env_create");
  Check(mdb_env_set_mapsize(env, size_t{64} << 30), "mdb_env_set_mapsize");
  Check(mdb_env_set_maxdbs(env, 64), "mdb_env_set_maxdbs");
  Check(mdb_env_open(env, dir, flags, 0644), dir);
  return env;
}

}  // namespace raw_lmdb
