// The store on a real LMDB environment: transactions, empty stores, the
// format stamp and map growth.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/checksum.h"
#include "store/keys.h"
#include "store/store.h"
#include "temp_dir.h"

using namespace weft;

TEST_CASE("a missing store reads as empty and is created by the first write") {
  testing::TempDir tmp;
  Store store(tmp.path("s"));
  CHECK_FALSE(store.exists());
  Status s = store.Read([](Txn& txn) -> Status {
    auto v = txn.Get(Db::kObjects, "k");
    REQUIRE(v.ok());
    CHECK_FALSE(v->has_value());
    auto c = txn.Open(Db::kObjects);
    REQUIRE(c.ok());
    CHECK_FALSE(c->Seek(""));
    return Status::OK();
  });
  CHECK(s.ok());
  CHECK_FALSE(std::filesystem::exists(tmp.path("s")));
  CHECK(store.Write([](Txn& txn) { return txn.Put(Db::kRows, "k", "v"); }).ok());
  CHECK(store.exists());
  CHECK(store
            .Read([](Txn& txn) -> Status {
              CHECK(**txn.Get(Db::kRows, "k") == "v");
              return Status::OK();
            })
            .ok());
}

TEST_CASE("a failed write leaves nothing behind") {
  testing::TempDir tmp;
  Store store(tmp.path("s"));
  Status s = store.Write([](Txn& txn) -> Status {
    WEFT_TRY(txn.Put(Db::kRows, "a", "1"));
    return Invalid("no");
  });
  CHECK_FALSE(s.ok());
  CHECK_FALSE(store.exists());  // the dry run failed: nothing was created
  CHECK(store.Write([](Txn& txn) { return txn.Put(Db::kRows, "b", "2"); }).ok());
  CHECK_FALSE(store
                  .Write([](Txn& txn) -> Status {
                    WEFT_TRY(txn.Put(Db::kRows, "a", "1"));
                    return Invalid("no");
                  })
                  .ok());
  CHECK(store
            .Read([](Txn& txn) -> Status {
              CHECK_FALSE(txn.Get(Db::kRows, "a")->has_value());
              return Status::OK();
            })
            .ok());
}

TEST_CASE("cursors walk keys in order and find the last of a prefix") {
  testing::TempDir tmp;
  Store store(tmp.path("s"));
  std::string prefix = keys::ObjVersionsPrefix("p", "object", "o");
  REQUIRE(store
              .Write([](Txn& txn) -> Status {
                for (uint32_t v : {0u, 1u, 2u, 300u})
                  WEFT_TRY(txn.Put(Db::kObjVersions, keys::ObjVersion("p", "object", "o", v),
                                   std::to_string(v)));
                return txn.Put(Db::kObjVersions, keys::ObjVersion("p", "object", "o2", 0), "x");
              })
              .ok());
  CHECK(store
            .Read([&](Txn& txn) -> Status {
              WEFT_ASSIGN(Cursor c, txn.Open(Db::kObjVersions));
              REQUIRE(c.SeekLast(prefix));
              CHECK(c.value() == "300");
              CHECK(keys::DecodeObjVersion(c.key(), prefix.size()) == 300);
              CHECK_FALSE(c.SeekLast(keys::ObjVersionsPrefix("p", "object", "none")));
              std::vector<std::string> seen;
              WEFT_TRY(
                  txn.ForEach(Db::kObjVersions, prefix, [&](std::string_view, std::string_view v) {
                    seen.emplace_back(v);
                    return seen.size() < 3;
                  }));
              CHECK(seen == std::vector<std::string>{"0", "1", "2"});
              seen.clear();
              WEFT_TRY(txn.ForEach(
                  Db::kObjVersions, prefix,
                  [&](std::string_view, std::string_view v) {
                    seen.emplace_back(v);
                    return true;
                  },
                  /*reverse=*/true));
              CHECK(seen == std::vector<std::string>{"300", "2", "1", "0"});
              return Status::OK();
            })
            .ok());
}

TEST_CASE("a store of a newer format is refused") {
  testing::TempDir tmp;
  Store store(tmp.path("s"));
  REQUIRE(store.Write([](Txn& txn) { return txn.Put(Db::kMeta, "format", "999"); }).ok());
  Store again(tmp.path("s"));
  Status s = again.Read([](Txn&) { return Status::OK(); });
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::kStore);
  CHECK(s.error().message.find("newer") != std::string::npos);
}

TEST_CASE("the map grows instead of failing when full") {
  testing::TempDir tmp;
  Store store(tmp.path("s"), 1 << 20);  // 1 MiB to start
  std::string big(64 * 1024, 'x');
  for (int batch = 0; batch < 4; ++batch) {
    Status s = store.Write([&](Txn& txn) -> Status {
      for (int i = 0; i < 64; ++i)
        WEFT_TRY(txn.Put(Db::kFiles, keys::Digest(std::to_string(batch), std::to_string(i)), big));
      return Status::OK();
    });
    REQUIRE(s.ok());
  }
  CHECK(store
            .Read([&](Txn& txn) -> Status {
              CHECK((*txn.Get(Db::kFiles, keys::Digest("3", "63")))->size() == big.size());
              return Status::OK();
            })
            .ok());
}

TEST_CASE("threads share one store: writers queue, readers run, the map grows under them") {
  testing::TempDir tmp;
  Store store(tmp.path("s"), 1 << 20);  // 1 MiB: grows several times below
  std::string big(16 * 1024, 'x');
  std::atomic<int> failures{0}, reads{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < 40; ++i)
        if (!store
                 .Write([&](Txn& txn) {
                   return txn.Put(Db::kFiles, keys::Digest("p", std::to_string(w * 100 + i)), big);
                 })
                 .ok())
          ++failures;
    });
  for (int r = 0; r < 4; ++r)
    threads.emplace_back([&] {
      while (!done) {
        if (!store
                 .Read([&](Txn& txn) {
                   return txn.Get(Db::kFiles, keys::Digest("p", "0")).ok() ? Status::OK()
                                                                           : Invalid("get");
                 })
                 .ok())
          ++failures;
        ++reads;
      }
    });
  for (int w = 0; w < 8; ++w) threads[w].join();
  done = true;
  for (size_t t = 8; t < threads.size(); ++t) threads[t].join();
  CHECK(failures == 0);
  CHECK(reads > 0);
  int n = 0;
  CHECK(store
            .Read([&](Txn& txn) {
              return txn.ForEach(Db::kFiles, keys::ProjectPrefix("p"),
                                 [&](std::string_view, std::string_view v) {
                                   n += v.size() == big.size();
                                   return true;
                                 });
            })
            .ok());
  CHECK(n == 320);
}

namespace {

// Starts a thread that writes while `first` holds the writer, so that the
// writes queue behind it: each puts its key and notes its transaction.
struct QueuedWriter {
  std::thread thread;
  size_t txn_id = 0;
  Status status = Status::OK();
  bool threw = false;

  QueuedWriter(Store& store, std::string key, std::function<Status(Txn&)> then = nullptr) {
    thread = std::thread([this, &store, key, then] {
      try {
        status = store.Write([&](Txn& txn) -> Status {
          txn_id = txn.id();
          WEFT_TRY(txn.Put(Db::kRows, key, "v"));
          return then ? then(txn) : Status::OK();
        });
      } catch (const std::runtime_error&) {
        threw = true;
      }
    });
  }
};

bool Has(Store& store, const std::string& key) {
  bool has = false;
  CHECK(store
            .Read([&](Txn& txn) -> Status {
              has = txn.Get(Db::kRows, key)->has_value();
              return Status::OK();
            })
            .ok());
  return has;
}

// Holds the writer for a while on another thread, then lets go.
std::thread HoldWriter(Store& store) {
  std::thread held([&store] {
    CHECK(store
              .Write([](Txn& txn) {
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                return txn.Put(Db::kRows, "first", "v");
              })
              .ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return held;
}

}  // namespace

TEST_CASE("writes that wait for the writer share its next transaction, one commit") {
  testing::TempDir tmp;
  Store store(tmp.path("s"));
  REQUIRE(store.Write([](Txn& txn) { return txn.Put(Db::kRows, "made", "v"); }).ok());
  std::thread held = HoldWriter(store);
  std::vector<std::unique_ptr<QueuedWriter>> writers;
  for (int i = 0; i < 3; ++i)
    writers.push_back(std::make_unique<QueuedWriter>(store, "w" + std::to_string(i)));
  held.join();
  for (auto& w : writers) w->thread.join();
  for (int i = 0; i < 3; ++i) {
    CHECK(writers[i]->status.ok());
    CHECK(Has(store, "w" + std::to_string(i)));
    CHECK(writers[i]->txn_id == writers[0]->txn_id);
  }
}

TEST_CASE("in a group, a write that fails or throws is left out and the others are written") {
  testing::TempDir tmp;
  Store store(tmp.path("s"));
  REQUIRE(store.Write([](Txn& txn) { return txn.Put(Db::kRows, "made", "v"); }).ok());
  std::thread held = HoldWriter(store);
  QueuedWriter before(store, "before");
  std::this_thread::sleep_for(std::chrono::milliseconds(10));  // queued in this order
  QueuedWriter fails(store, "fails", [](Txn&) -> Status { return Invalid("refused"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  QueuedWriter throws(store, "throws", [](Txn&) -> Status { throw std::runtime_error("boom"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // Sees what the write before it in the group wrote.
  QueuedWriter after(store, "after", [](Txn& txn) -> Status {
    return txn.Get(Db::kRows, "before")->has_value() ? Status::OK() : Invalid("before unseen");
  });
  held.join();
  for (auto* w : {&before, &fails, &throws, &after}) w->thread.join();
  CHECK(before.status.ok());
  CHECK(after.status.ok());
  CHECK(fails.status.error().message == "refused");
  CHECK(throws.threw);  // rethrown on its own thread
  CHECK(Has(store, "before"));
  CHECK(Has(store, "after"));
  CHECK_FALSE(Has(store, "fails"));
  CHECK_FALSE(Has(store, "throws"));
}

TEST_CASE("CRC-32C: the check value, and the bit-by-bit sum of longer runs") {
  CHECK(weft::Crc32c(0, "123456789") == 0xE3069283u);
  auto reference = [](std::string_view b) {
    uint32_t c = ~0u;
    for (unsigned char x : b) {
      c ^= x;
      for (int k = 0; k < 8; ++k) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    }
    return ~c;
  };
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes += static_cast<char>(i * 131 % 251);
  for (size_t n : {0, 1, 7, 8, 9, 1000, 4999}) {
    std::string_view all(bytes.data(), n);
    CAPTURE(n);
    CHECK(weft::Crc32c(0, all) == reference(all));
    CHECK(weft::Crc32c(weft::Crc32c(0, all.substr(0, n / 3)), all.substr(n / 3)) == reference(all));
  }
}

TEST_CASE("a key range walks from its first key to before its end, either way") {
  testing::TempDir tmp;
  Store store(tmp.path("s"));
  std::string prefix = keys::CallIndexPrefix(Db::kCallsByStart, "p");
  REQUIRE(store
              .Write([](Txn& txn) -> Status {
                for (int64_t t : {10, 20, 20, 30, 40})
                  WEFT_TRY(txn.Put(Db::kCallsByStart,
                                   keys::CallIndex(Db::kCallsByStart, "p", "", t,
                                                   "c" + std::to_string(t) + (t == 20 ? "" : "x")),
                                   ""));
                WEFT_TRY(txn.Put(Db::kCallsByStart,
                                 keys::CallIndex(Db::kCallsByStart, "p", "", 20, "c20y"), ""));
                return txn.Put(Db::kCallsByStart,
                               keys::CallIndex(Db::kCallsByStart, "q", "", 25, "o"), "");
              })
              .ok());
  auto walk = [&](std::string first, std::string end, bool reverse) {
    std::vector<int64_t> seen;
    REQUIRE(store
                .Read([&](Txn& txn) {
                  return txn.ForEach(
                      Db::kCallsByStart, Txn::KeyRange{prefix, first, end},
                      [&](std::string_view key, std::string_view) {
                        seen.push_back(keys::DecodeCallIndex(key, prefix.size()).started_at);
                        return true;
                      },
                      reverse);
                })
                .ok());
    return seen;
  };
  std::string at20 = keys::CallIndexAt(prefix, 20), at40 = keys::CallIndexAt(prefix, 40);
  CHECK(walk(at20, at40, false) == std::vector<int64_t>{20, 20, 30});
  CHECK(walk(at20, at40, true) == std::vector<int64_t>{30, 20, 20});
  CHECK(walk("", at20, true) == std::vector<int64_t>{10});
  CHECK(walk(at40, "", false) == std::vector<int64_t>{40});
  CHECK(walk(keys::CallIndexAt(prefix, 50), "", true).empty());
  CHECK(walk(at40, at20, false).empty());
}

TEST_CASE("pages are let go from the map of the moment, also after reopening it for writes") {
  testing::TempDir tmp;
  {
    Store init(tmp.path("s"));
    REQUIRE(init.Write([](Txn& txn) { return txn.Put(Db::kRows, "k", "v"); }).ok());
  }
  Store store(tmp.path("s"));
  store.set_memory_budget(0);  // every release lets go
  auto release = [&] {
    return store.Read([](Txn& txn) {
      txn.ReleaseMappedPages();
      return Status::OK();
    });
  };
  REQUIRE(release().ok());  // finds the read-only map
  REQUIRE(store.Write([](Txn& txn) { return txn.Put(Db::kRows, "k2", "v"); }).ok());  // reopens
  std::vector<char> heap(256 << 20, 1);  // may land where the read-only map was
  REQUIRE(release().ok());
  CHECK(std::count(heap.begin(), heap.end(), 1) == static_cast<long>(heap.size()));
}

TEST_CASE(
    "a scan lets the store's pages go by itself, only once the process's memory passes the "
    "budget") {
  testing::TempDir tmp;
  Store store(tmp.path("s"));
  std::string value(3000, 'x');
  REQUIRE(store
              .Write([&](Txn& txn) -> Status {
                for (int i = 0; i < 8000; ++i)
                  WEFT_TRY(txn.Put(Db::kRows, std::to_string(i), value));
                return Status::OK();
              })
              .ok());
  auto mapped_mib = [] {  // the shared (file) pages of /proc/self/statm
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0, shared = 0;
    statm >> size >> resident >> shared;
    return shared * sysconf(_SC_PAGESIZE) >> 20;
  };
  auto mapped_after_reading_all = [&] {  // no release asked for by the reader
    long mapped = 0;
    REQUIRE(store
                .Read([&](Txn& txn) -> Status {
                  size_t bytes = 0;
                  WEFT_TRY(txn.ForEach(Db::kRows, "", [&](std::string_view, std::string_view v) {
                    return bytes += v.size(), true;
                  }));
                  CHECK(bytes == 8000 * value.size());
                  mapped = mapped_mib();
                  return Status::OK();
                })
                .ok());
    return mapped;
  };
  long kept = mapped_after_reading_all();  // the test runner is under the budget
  CHECK(mapped_after_reading_all() >= kept - 1);
  store.set_memory_budget(size_t{8} << 20);
  CHECK(kept - mapped_after_reading_all() >= 20);  // the 23 MiB of rows went as they were read
}
