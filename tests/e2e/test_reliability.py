"""A flaky CI machine: readers killed mid-stream, a writer stopped while it
holds the write lock, a store cut short or emptied. weft clears dead
readers, bounds its waits, and refuses damage with exit 1 instead of
crashing or answering wrong."""
import fcntl
import json
import os
import shutil
import signal
import subprocess
import time
import unittest

from serve_lib import Server
from weftlib import BIN, WeftTest


def items(n, prefix="c"):
    for i in range(n):
        cid = "%s%06d" % (prefix, i)
        yield json.dumps({"mode": "start", "req": {"start": {
            "project_id": "acme/app", "id": cid, "trace_id": "t%d" % (i // 10), "op_name": "op",
            "started_at": "2024-01-01T00:00:00Z", "attributes": {}, "inputs": {"pad": "x" * 200}}}})


def lock_holder(store):
    """The pid holding weft.lock's write lock, or 0."""
    path = os.path.join(store, "weft.lock")
    if not os.path.exists(path):
        return 0
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 0)
        return 0
    except OSError:
        return -1
    finally:
        os.close(fd)


class DeadReadersTest(WeftTest):
    def test_200_readers_killed_mid_stream_leave_reads_working(self):
        path = os.path.join(self.dir, "calls.ndjson")
        with open(path, "w") as f:
            f.write("\n".join(items(3000)) + "\n")
        self.ok("calls", "import", path)
        server = Server(self.env)  # holds the store open the whole time, as a traced CI step would
        self.addCleanup(server.stop)
        c = server.conn()
        c.request("POST", "/calls/query_stats", body=b'{"project_id": "acme/app"}')
        self.assertEqual(json.loads(c.getresponse().read())["count"], 3000)
        for _ in range(200):
            p = subprocess.Popen([BIN, "calls", "query-stream"], stdout=subprocess.PIPE, env=self.env)
            p.stdout.readline()  # it is inside its read transaction now
            p.kill()
            p.wait()
            p.stdout.close()
        self.assertEqual(self.okj("calls", "query-stats")["count"], 3000)
        c.request("POST", "/calls/query_stats", body=b'{"project_id": "acme/app"}')
        self.assertEqual(json.loads(c.getresponse().read())["count"], 3000)


class StoppedWriterTest(WeftTest):
    def test_a_stopped_writer_bounds_the_others_and_exec_still_runs(self):
        self.ok("call", "start", "--op", "first")  # the store exists
        path = os.path.join(self.dir, "calls.ndjson")
        with open(path, "w") as f:
            f.write("\n".join(items(300000)) + "\n")
        writer = subprocess.Popen([BIN, "calls", "import", path], env=self.env, stdout=subprocess.DEVNULL)
        self.addCleanup(lambda: (writer.poll() is None and writer.kill(), writer.wait()))
        stopped = False
        deadline = time.time() + 60
        while time.time() < deadline and writer.poll() is None:
            if lock_holder(self.store):
                writer.send_signal(signal.SIGSTOP)
                if lock_holder(self.store):
                    stopped = True
                    break
                writer.send_signal(signal.SIGCONT)
            time.sleep(0.005)
        if not stopped:
            self.skipTest("the import finished before it could be stopped while writing")
        t = time.time()
        line = self.fails(1, "store is locked", "--wait", "1", "call", "start", "--op", "second")
        self.assertLess(time.time() - t, 10)
        self.assertIn("process %d" % writer.pid, line)
        env = dict(self.env, WEFT_WAIT="1")
        t = time.time()
        r = self.run_weft("exec", "--op", "step", "--", "sh", "-c", "echo ran", env=env)
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.out, b"ran\n")
        self.assertIn(b"locked", r.err)
        self.assertLess(time.time() - t, 10)
        # With a longer wait, the step returns at once, says nothing, and a
        # background child records it once the writer goes on.
        log = open(os.path.join(self.dir, "exec.err"), "wb")
        t = time.time()
        step = subprocess.Popen([BIN, "exec", "--op", "later", "--", "true"], env=dict(self.env, WEFT_WAIT="60"),
                                stdout=subprocess.DEVNULL, stderr=log)
        self.assertEqual(step.wait(timeout=30), 0)
        self.assertLess(time.time() - t, 5)
        writer.send_signal(signal.SIGCONT)
        self.assertEqual(writer.wait(timeout=120), 0)
        deadline = time.time() + 60
        while time.time() < deadline and not self.okj("calls", "query", "--op-name", "later")["calls"]:
            time.sleep(0.1)
        later = self.okj("calls", "query", "--op-name", "later")["calls"]
        self.assertEqual(len(later), 1)
        self.assertIsNotNone(later[0]["ended_at"])
        log.close()
        with open(os.path.join(self.dir, "exec.err"), "rb") as f:
            self.assertEqual(f.read(), b"")
        self.ok("call", "start", "--op", "third")


class DamagedStoreTest(WeftTest):
    def make_store(self):
        for i in range(200):
            self.ok("obj", "create", "--name", "o%d" % i, "--val", json.dumps({"pad": "y" * 2000}))
        return os.path.join(self.store, "data.mdb")

    def test_a_truncated_store_is_refused_without_a_crash(self):
        data = self.make_store()
        size = os.path.getsize(data)
        for keep in (size // 2, 5000, 100):
            copy = os.path.join(self.dir, "copy%d" % keep)
            os.makedirs(copy)
            with open(data, "rb") as src, open(os.path.join(copy, "data.mdb"), "wb") as dst:
                dst.write(src.read(keep))
            for args in (["objs", "query"], ["obj", "create", "--name", "x", "--val", "1"]):
                r = self.run_weft("--store", copy, *args)
                self.assertEqual(r.code, 1, "%s on %d bytes: %s" % (args, keep, r.err))
                self.assertIn(b"damaged", r.err)
                self.assertEqual(r.out, b"")

    def damage(self, data, marker, how):
        with open(data, "r+b") as f:
            blob = f.read()
            at = blob.find(marker)
            self.assertGreater(at, 0)
            if how == "flip":
                f.seek(at + 3)
                f.write(bytes([blob[at + 3] ^ 0x20]))
            else:  # zero the whole page the record is on
                page = at - at % 4096
                f.seek(page)
                f.write(b"\0" * 4096)

    def test_a_flipped_byte_in_a_record_is_reported_never_returned(self):
        data = self.make_store()
        self.ok("obj", "create", "--name", "target", "--val", json.dumps({"secret": "MARKER-OBJECT-VALUE"}))
        self.ok("call", "start", "--op", "f", "--inputs", json.dumps({"q": "MARKER-CALL-INPUT"}))
        self.damage(data, b"MARKER-OBJECT-VALUE", "flip")
        self.damage(data, b"MARKER-CALL-INPUT", "flip")
        for args in (["obj", "read", "--name", "target"], ["objs", "query"], ["calls", "query"],
                     ["calls", "query-stream"], ["refs", "read-batch", "weave:///acme/app/object/target:latest"]):
            r = self.run_weft(*args)
            self.assertEqual(r.code, 1, "%s: %s %s" % (args, r.out[:200], r.err))
            self.assertIn(b"damaged", r.err)
            self.assertNotIn(b"MARKER", r.out)

    def test_check_reports_each_damaged_record(self):
        data = self.make_store()
        marked = self.okj("call", "start", "--op", "f", "--inputs", json.dumps({"q": "MARKER-CHECKED"}))["id"]
        clean = self.okj("check")
        self.assertTrue(clean["ok"])
        self.assertGreater(clean["records"], 200)
        self.damage(data, b"MARKER-CHECKED", "flip")
        r = self.run_weft("check")
        self.assertEqual(r.code, 1)
        report = json.loads(r.out)
        self.assertFalse(report["ok"])
        self.assertEqual(len(report["damaged"]), 1)
        # the key in words: the sub-database, the project and the call id as the user knows it
        self.assertEqual(report["damaged"][0], "calls: project acme/app, call %s: fails its checksum" % marked)
        self.assertIn(b"the store is damaged", r.err)
        repaired = self.okj("check", "--repair")
        self.assertTrue(repaired["ok"], repaired)
        backups = [d for d in os.listdir(self.dir) if d.startswith("store.backup-")]
        self.assertEqual(len(backups), 1)
        self.assertEqual(self.okj("calls", "query")["calls"], [])  # the damaged call is gone, its index entries too
        self.assertEqual(len(self.okj("objs", "query")["objs"]), 200)

    def test_a_zeroed_page_gives_exit_1_and_no_signal(self):
        data = self.make_store()
        self.ok("obj", "create", "--name", "target", "--val", json.dumps({"secret": "MARKER-ZEROED"}))
        self.damage(data, b"MARKER-ZEROED", "zero")
        for args in (["obj", "read", "--name", "target"], ["objs", "query"]):
            r = self.run_weft(*args)
            self.assertGreaterEqual(r.code, 0, "killed by a signal: %s" % args)
            self.assertIn(r.code, (1, 3), "%s: %s" % (args, r.err))

    def test_an_empty_data_mdb_is_damage_not_a_new_store(self):
        data = self.make_store()
        open(data, "wb").close()
        self.fails(1, "damaged", "obj", "create", "--name", "x", "--val", "1")
        self.assertEqual(os.path.getsize(data), 0)  # nothing was written over it
        self.fails(1, "damaged", "objs", "query")


class MaintenanceTest(WeftTest):
    def test_stats_count_per_project(self):
        self.ok("obj", "create", "--name", "o", "--val", "1")
        self.ok("obj", "create", "--name", "o", "--val", "2")
        self.ok("call", "start", "--op", "f")
        self.ok("--project", "other/p", "table", "create", "--rows", '[{"x": 1}, {"x": 2}]')
        st = self.okj("stats")
        self.assertEqual(st["projects"]["acme/app"]["object_versions"], 2)
        self.assertEqual(st["projects"]["acme/app"]["calls"], 1)
        self.assertEqual(st["projects"]["other/p"]["tables"], 1)
        self.assertEqual(st["projects"]["other/p"]["table_rows"], 2)
        for key in ("file_bytes", "map_bytes", "free_pages", "readers_in_use", "readers_max"):
            self.assertIn(key, st)

    def test_backup_while_a_writer_runs_is_a_consistent_store(self):
        self.ok("call", "start", "--op", "seed")
        path = os.path.join(self.dir, "calls.ndjson")
        with open(path, "w") as f:
            f.write("\n".join(items(50000)) + "\n")
        writer = subprocess.Popen([BIN, "calls", "import", path], env=self.env, stdout=subprocess.DEVNULL)
        dest = os.path.join(self.dir, "backup")
        self.ok("backup", dest)
        self.assertEqual(writer.wait(timeout=120), 0)
        count = self.okj("--store", dest, "calls", "query-stats")["count"]
        self.assertIn(count, (1, 50001))  # before the import's commit, or after it: never between
        self.fails(2, "new or empty folder", "backup", dest)
        self.assertEqual(self.okj("calls", "query-stats")["count"], 50001)

    def test_compact_shrinks_the_store_in_place_and_keeps_everything(self):
        path = os.path.join(self.dir, "calls.ndjson")
        with open(path, "w") as f:
            f.write("\n".join(items(20000)) + "\n")
        self.ok("calls", "import", path)
        for first in range(0, 8000, 200):  # 4,000 calls deleted, 100 at a time (the interface's limit)
            ids = ["c%06d" % i for i in range(first, first + 200, 2)]
            self.ok("calls", "delete", "--json", json.dumps({"project_id": "acme/app", "call_ids": ids}))
        before_size = os.path.getsize(os.path.join(self.store, "data.mdb"))
        before = self.ok("--project", "acme/app", "export").out
        r = self.ok("compact")
        self.assertRegex(r.err.decode(), r"weft: compacted .*: [0-9.]+ MB -> [0-9.]+ MB")
        self.assertLess(os.path.getsize(os.path.join(self.store, "data.mdb")), before_size)
        self.assertEqual(self.ok("--project", "acme/app", "export").out, before)
        self.ok("check")
        self.ok("call", "start", "--op", "after")  # writes go on, on the new file
        self.assertEqual(self.okj("calls", "query-stats")["count"], 16001)
        self.assertFalse(os.path.exists(os.path.join(self.store, "data.mdb.compact")))

    def test_compact_refuses_a_store_another_process_has_open(self):
        self.ok("call", "start", "--op", "seed")
        server = Server(self.env)
        try:
            c = server.conn()
            c.request("POST", "/calls/query_stats", body=json.dumps({"project_id": "acme/app"}))
            self.assertEqual(c.getresponse().status, 200)  # the server has the store open now
            c.close()
            before = self.store_hash()
            line = self.fails(1, "in use by process %d" % server.proc.pid, "compact")
            self.assertIn("weft serve", line)
            self.assertEqual(self.store_hash(), before)
        finally:
            server.stop()
        self.ok("compact")
        self.fails(3, "does not exist", "--store", os.path.join(self.dir, "none"), "compact")


if __name__ == "__main__":
    unittest.main()
