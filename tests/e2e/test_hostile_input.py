"""Hostile input: deep nesting, NUL and control characters, impossible
dates, invalid UTF-8 through flags, folders where files are expected,
huge values quoted back. Each is exit 2 with one readable line naming
the field, and the store stays as it was."""
import json
import os

from weftlib import UnchangedStoreTest, main


class HostileInputTest(UnchangedStoreTest):
    def seed(self):
        self.ok("obj", "create", "--name", "o", "--val", "1")

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_deep_nesting_is_refused_without_recursion(self):
        deep = "[" * 100000 + "]" * 100000
        self.fails(2, "nested deeper than 1000 levels", "obj", "create", "--name", "d", "--val", "@" + self.write("deep.json", deep))
        path = os.path.join(self.dir, "deep.ndjson")
        with open(path, "w") as f:
            f.write('{"mode": "start", "req": {"start": {"project_id": "acme/app", "op_name": "f", '
                    '"started_at": "2024-01-01T00:00:00Z", "attributes": {}, "inputs": {"x": %s}}}}\n' % deep)
        self.fails(2, "nested deeper", "calls", "import", path)

    def test_nul_and_control_characters_in_names(self):
        self.fails(2, "op_name", "call", "start", "--json",
                   json.dumps({"start": {"project_id": "acme/app", "op_name": "a\u0000b", "started_at": "2024-01-01T00:00:00Z",
                                         "attributes": {}, "inputs": {}}}))
        self.fails(2, "op_name", "call", "start", "--op", "tab\there")
        path = os.path.join(self.dir, "trailing.json")
        with open(path, "wb") as f:
            f.write(b'{"obj": {"project_id": "acme/app", "object_id": "x", "val": 1}}\x00')
        self.fails(2, "NUL", "obj", "create", "--json", "@" + path)

    def test_impossible_dates(self):
        for when in ("2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "2025-02-29T00:00:00Z", "2024-04-31T12:00:00Z",
                     "2024-01-01T00:00:60Z"):
            self.fails(2, "started_at", "call", "start", "--op", "f", "--started-at", when)
        self.assertEqual(self.run_weft("call", "start", "--op", "f", "--started-at", "2024-02-29T00:00:00Z").code, 0)
        self.before = self.store_hash()

    def test_invalid_utf8_in_flags_is_refused_like_in_json(self):
        bad = b"caf\xc3".decode("utf-8", "surrogateescape")
        self.fails(2, "--op: not valid UTF-8", "call", "start", "--op", bad)
        self.fails(2, "--display-name: not valid UTF-8", "call", "start", "--op", "f", "--display-name", bad)
        self.fails(2, "--note: not valid UTF-8", "feedback", "create", "--ref", "weave:///acme/app/call/c1", "--note", bad)

    def test_folders_where_files_are_expected(self):
        self.fails(2, "is a folder", "obj", "create", "--json", "@" + self.dir)
        self.fails(2, "is a folder", "calls", "import", self.dir)
        self.fails(2, "is a folder", "file", "create", "--name", "x", "--content-file", self.dir)

    def test_huge_values_are_cut_in_messages(self):
        req = self.write("read.json", json.dumps({"project_id": "acme/app", "object_id": "o", "digest": "x" * 10_000_000}))
        line = self.fails(3, "not found", "obj", "read", "--json", "@" + req)
        self.assertLess(len(line), 1000)
        req = self.write("refs.json", json.dumps({"refs": ["weave:///acme/app/object/" + "y" * 1_000_000]}))
        line = self.fails(2, "ref", "refs", "read-batch", "--json", "@" + req)
        self.assertLess(len(line), 1000)

    def test_an_index_too_big_for_an_integer_reads_as_missing(self):
        r = self.okj("refs", "read-batch", "weave:///acme/app/object/o:latest/index/99999999999999999999999")
        self.assertEqual(r, {"vals": [None]})

    def test_feedback_refs_belong_to_the_project(self):
        self.fails(2, "weave_ref", "feedback", "create", "--ref", "weave:///other/app/call/c1", "--note", "x")


if __name__ == "__main__":
    main()
