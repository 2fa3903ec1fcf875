#!/usr/bin/env python3
"""End-to-end: every kind of bad input gets its exit code, one stderr line
naming the field at fault, and leaves the store as it was."""
import os
import shutil
import subprocess
import unittest

from weftlib import UnchangedStoreTest, WeftTest, main


class BadInputTest(UnchangedStoreTest):
    def seed(self):
        self.okj("obj", "create", "--name", "seed", "--val", "1")

    def test_malformed_json(self):
        self.fails(2, "--json: malformed JSON", "obj", "create", "--json", '{"obj": ')
        self.fails(2, "--val: malformed JSON", "obj", "create", "--name", "x", "--val", "{nope}")
        self.fails(2, "--json: the request must be a JSON object", "obj", "create", "--json", "[1]")
        self.fails(2, "does not fit in 64 bits", "obj", "create", "--name", "x", "--val", "123456789012345678901234567890")

    def test_wrong_types(self):
        self.fails(2, "obj.object_id: expected a string, got a number", "obj", "create",
                   "--json", '{"obj": {"project_id": "e/p", "object_id": 5, "val": 1}}')
        self.fails(2, "table.rows.1: row must be an object", "table", "create", "--rows", '[{"a": 1}, 2]')
        self.fails(2, "limit: expected an integer", "table", "query", "--json", '{"project_id": "e/p", "digest": "d", "limit": "ten"}')
        self.fails(2, "--limit: expected an integer, got 'ten'", "table", "query", "--digest", "d", "--limit", "ten")
        self.fails(2, "limit: must be a non-negative integer", "table", "query", "--digest", "d", "--limit", "-1")

    def test_missing_required_fields(self):
        self.fails(2, "obj.val: field required", "obj", "create", "--name", "x")
        env = dict(self.env)
        del env["WEFT_PROJECT"]
        self.fails(2, "obj: field required", "obj", "create", "--json", "{}", env=env)
        self.okj("obj", "read", "--name", "seed", env=env)  # the store's only project (several: test_shell.py)

    def test_bad_ids_and_refs(self):
        self.fails(2, "project id must be 'entity/project'", "--project", "noslash", "obj", "read", "--name", "x")
        self.fails(2, "project id must be 'entity/project'", "--project", "a/b/c", "objs", "query")
        self.fails(2, "invalid object name 'a b'", "obj", "create", "--name", "a b", "--val", "1")
        self.fails(2, "longer than 127", "obj", "create", "--name", "x" * 128, "--val", "1")
        self.fails(2, "invalid ref 'weave:///acme/app/thing/x'", "refs", "read-batch", "weave:///acme/app/thing/x")
        self.fails(2, "invalid ref 'http://x'", "refs", "read-batch", "http://x")
        self.fails(2, "table refs cannot be read", "refs", "read-batch", "weave:///acme/app/table/abc")

    def test_unknown_digests(self):
        self.fails(3, "Obj seed:nope not found", "obj", "read", "--name", "seed", "--digest", "nope")
        self.fails(3, "Obj seed:v7 not found", "obj", "read", "--name", "seed", "--digest", "v7")
        self.fails(3, "not found", "table", "update", "--base", "abc", "--updates", "[]")
        self.fails(3, "File nope not found", "file", "content-read", "--digest", "nope")
        self.assertEqual(self.okj("table", "query", "--digest", "nope"), {"rows": []})

    def test_table_update_index_checks_are_atomic(self):
        t = self.okj("table", "create", "--rows", '[{"x": 1}]')["digest"]
        self.before = self.store_hash()
        self.fails(2, "updates.1.index", "table", "update", "--base", t, "--updates",
                   '[{"append": {"row": {"x": 2}}}, {"pop": {"index": 5}}]')
        self.fails(2, "updates.0", "table", "update", "--base", t, "--updates", '[{"shuffle": {}}]')

    def test_missing_at_file_and_usage(self):
        self.fails(2, "cannot read file", "obj", "create", "--json", "@/nonexistent/req.json")
        self.fails(2, "cannot read file", "file", "create", "--name", "f", "--content-file", "/nonexistent")
        self.fails(2, "", "obj", "frobnicate")
        self.fails(2, "", "obj", "create", "--no-such-flag")
        self.fails(2, "", "obj")

    def test_store_that_is_not_a_store(self):
        junk = os.path.join(self.dir, "junk")
        os.makedirs(junk)
        with open(os.path.join(junk, "notes.txt"), "w") as f:
            f.write("hi")
        self.fails(1, "is not a weft store", "--store", junk, "obj", "create", "--name", "x", "--val", "1")
        self.fails(1, "is not a weft store", "--store", junk, "objs", "query")
        self.fails(1, "is not a directory", "--store", os.path.join(junk, "notes.txt"), "objs", "query")
        self.assertEqual(os.listdir(junk), ["notes.txt"])

    def test_invalid_request_creates_no_store(self):
        fresh = os.path.join(self.dir, "fresh")
        self.fails(2, "field required", "--store", fresh, "obj", "create", "--name", "x")
        self.fails(3, "not found", "--store", fresh, "table", "update", "--base", "x", "--updates", "[]")
        self.assertFalse(os.path.exists(fresh))

    @unittest.skipUnless(shutil.which("setpriv") and os.geteuid() == 0, "needs root and setpriv")
    def test_read_only_store(self):
        # As root every file is writable, so run weft as 'nobody' on a store it cannot write.
        as_nobody = self.as_nobody() + ["--store", self.store]
        os.chmod(self.store, 0o555)
        for name in os.listdir(self.store):
            os.chmod(os.path.join(self.store, name), 0o444)
        def run(*args):
            return subprocess.run(as_nobody + list(args), capture_output=True, env=self.env, timeout=60)
        w = run("obj", "create", "--name", "x", "--val", "2")
        self.assertEqual(w.returncode, 1, w.stderr)
        self.assertEqual(w.stdout, b"")
        self.assertRegex(w.stderr.decode(), r"^weft: error: .*read-only.*\n$")
        r = run("obj", "read", "--name", "seed")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b'"val":1', r.stdout)


class FullDiskTest(WeftTest):
    """A store on a full filesystem: the write fails with exit 1 and the store
    reads as before (LMDB may have written free pages, never the commit);
    needs root to mount a small tmpfs."""

    def setUp(self):
        super().setUp()
        self.tiny = os.path.join(self.dir, "tiny")
        os.makedirs(self.tiny)
        if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", self.tiny],
                                               capture_output=True).returncode != 0:
            self.skipTest("cannot mount a small tmpfs here")
        self.mounted = True
        self.store = os.path.join(self.tiny, "store")
        self.env["WEFT_STORE"] = self.store
        self.okj("obj", "create", "--name", "seed", "--val", "1")

    def tearDown(self):
        if getattr(self, "mounted", False):
            subprocess.run(["umount", self.tiny], capture_output=True)
        super().tearDown()

    def test_disk_full(self):
        blob = os.path.join(self.dir, "blob")
        with open(blob, "wb") as f:
            f.write(os.urandom(800 << 10))
        before = self.okj("objs", "query")
        line = self.fails(1, "is full", "file", "create", "--name", "b", "--content-file", blob)
        self.assertIn("nothing was written", line)
        self.assertEqual(self.okj("objs", "query"), before)
        self.okj("obj", "create", "--name", "small", "--val", "2")  # and smaller writes still fit


if __name__ == "__main__":
    main()
