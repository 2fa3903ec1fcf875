#!/usr/bin/env python3
"""End-to-end: objects, ops, tables, files, refs and projects from the shell."""
import json
import os

from weftlib import WeftTest, main


class ObjectsTest(WeftTest):
    def test_create_read_versions_with_typed_flags(self):
        d0 = self.okj("obj", "create", "--name", "config", "--val", '{"lr": 0.1, "b": [1, 2.0]}')["digest"]
        d1 = self.okj("obj", "create", "--name", "config", "--val", '{"lr": 0.2}')["digest"]
        self.assertEqual(self.okj("obj", "create", "--name", "config", "--val", '{"b": [1, 2.0], "lr": 0.1}')["digest"], d0)
        latest = self.okj("obj", "read", "--name", "config")["obj"]
        self.assertEqual((latest["digest"], latest["version_index"], latest["is_latest"]), (d1, 1, 1))
        v0 = self.okj("obj", "read", "--name", "config", "--digest", "v0")["obj"]
        self.assertEqual(v0["val"], {"b": [1, 2.0], "lr": 0.1})
        self.assertEqual(v0["project_id"], "acme/app")
        self.assertRegex(v0["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        objs = self.okj("objs", "query", "--latest")["objs"]
        self.assertEqual([o["digest"] for o in objs], [d1])

    def test_json_request_from_file_and_stdin(self):
        req = {"obj": {"project_id": "e/p", "object_id": "x", "val": 42}}
        path = os.path.join(self.dir, "req.json")
        with open(path, "w") as f:
            json.dump(req, f)
        a = self.okj("obj", "create", "--json", "@" + path)["digest"]
        b = self.okj("obj", "create", "--json", "-", stdin=json.dumps(req))["digest"]
        self.assertEqual(a, "c0dctApWjo2ooEXO0RATfhWfiQrE2og7axfcZRs6gEk")
        self.assertEqual(a, b)

    def test_huge_values_travel_through_files(self):
        val = {"blob": "x" * (8 << 20), "n": list(range(1000))}
        path = os.path.join(self.dir, "big.json")
        with open(path, "w") as f:
            json.dump({"obj": {"project_id": "acme/app", "object_id": "big", "val": val}}, f)
        d = self.okj("obj", "create", "--json", "@" + path)["digest"]
        self.assertEqual(self.okj("obj", "read", "--name", "big")["obj"]["val"], val)
        blob = os.path.join(self.dir, "blob")
        with open(blob, "wb") as f:
            f.write(os.urandom(20 << 20))
        fd = self.okj("file", "create", "--name", "blob", "--content-file", blob)["digest"]
        with open(blob, "rb") as f:
            self.assertEqual(self.ok("file", "content-read", "--digest", fd).out, f.read())
        self.assertEqual(len(d), 43)

    def test_pretty_output(self):
        out = self.ok("--pretty", "obj", "create", "--name", "x", "--val", "1").out.decode()
        self.assertEqual(out, '{\n  "digest": "%s",\n  "object_id": "x"\n}\n' % json.loads(out)["digest"])

    def test_ops(self):
        self.okj("op", "create", "--name", "build", "--val", '{"code": "make"}')
        self.assertEqual(self.okj("op", "read", "--name", "build")["op_obj"]["kind"], "op")
        self.assertEqual(len(self.okj("ops", "query")["op_objs"]), 1)
        self.assertEqual(len(self.okj("objs", "query", "--ops")["objs"]), 1)

    def test_tables_and_refs(self):
        t = self.okj("table", "create", "--rows", '[{"x": 1}, {"x": 2}]')["digest"]
        self.assertEqual(t, "ed8bd1f8cb829eeb6b3fef95a7cd8401f7e5af825c4c9aa144a1ceb9f32c3654")
        t2 = self.okj("table", "update", "--base", t, "--updates", '[{"append": {"row": {"x": 3}}}]')["digest"]
        self.assertEqual(t2, "5e60679e4f53ad49b637bfc4d78d8ceb1c68f1de6b7ced522a2899a7c0a0a0e1")
        rows = self.okj("table", "query", "--digest", t2, "--offset", "1", "--limit", "1")["rows"]
        self.assertEqual([r["val"] for r in rows], [{"x": 2}])
        ref = "weave:///acme/app/table/" + t2
        self.okj("obj", "create", "--name", "ds", "--val", json.dumps({"rows": ref}))
        row = rows[0]["digest"]
        vals = self.okj("refs", "read-batch", "weave:///acme/app/object/ds:latest/attr/rows/id/" + row,
                        "weave:///acme/app/object/nope:latest")["vals"]
        self.assertEqual(vals, [{"x": 2}, None])

    def test_files_round_trip_raw_bytes(self):
        data = bytes(range(256)) * 3
        path = os.path.join(self.dir, "blob.bin")
        with open(path, "wb") as f:
            f.write(data)
        d = self.okj("file", "create", "--name", "blob.bin", "--content-file", path)["digest"]
        self.assertEqual(self.ok("file", "content-read", "--digest", d).out, data)
        e = self.okj("file", "create", "--name", "empty", "--content-file", "-", stdin=b"")["digest"]
        self.assertEqual(e, "47DEQpj8HBSaXYTImWX5JCeuQeRkm5NMpJWZG3hSuFU")
        self.assertEqual(self.ok("file", "content-read", "--digest", e).out, b"")

    def test_project_ensure(self):
        self.assertEqual(self.okj("project", "ensure"), {"project_name": "app"})
        self.assertEqual(self.okj("project", "ensure", "--json", '{"entity": "e", "project": "p"}'), {"project_name": "p"})

    def test_store_discovery_and_empty_reads(self):
        env = dict(self.env)
        del env["WEFT_STORE"]
        sub = os.path.join(self.dir, "a", "b")
        os.makedirs(sub)
        # a read of a missing store answers empty and creates nothing
        self.assertEqual(self.okj("objs", "query", env=env, cwd=sub), {"objs": []})
        self.assertFalse(os.path.exists(os.path.join(sub, ".weft")))
        # the first write creates ./.weft; later commands in sub-folders find it
        self.okj("obj", "create", "--name", "x", "--val", "1", env=env, cwd=os.path.join(self.dir, "a"))
        self.assertTrue(os.path.exists(os.path.join(self.dir, "a", ".weft", "data.mdb")))
        self.assertEqual(len(self.okj("objs", "query", env=env, cwd=sub)["objs"]), 1)

    def test_unknown_fields_warn(self):
        r = self.ok("obj", "create", "--json", '{"obj": {"project_id": "e/p", "object_id": "x", "val": 1, "colour": 2}}')
        self.assertIn(b"weft: warning: unknown field 'obj.colour' ignored", r.err)


if __name__ == "__main__":
    main()
