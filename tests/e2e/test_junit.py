"""CI reports both ways, and the gate at the end of a pipeline: weft junit
import of pytest, Surefire (JUnit 5) and go-junit-report reports, weft calls
query --format junit (valid against the schema CI servers read, and read
back the same), and weft calls check."""
import os
import shutil
import subprocess
import unittest

from weftlib import BIN, WeftTest, main

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "junit")
XSD = os.path.join(HERE, "junit.xsd")


def report(name):
    return os.path.join(HERE, name)


class JunitImport(WeftTest):
    def calls(self):
        return {c["op_name"]: c for c in self.okj("calls", "query")["calls"]}

    def test_pytest_report_under_the_step_that_ran_it(self):
        script = "%s junit import %s" % (BIN, report("pytest.xml"))
        r = self.run_weft("exec", "--op", "test", "--", "sh", "-c", script)
        self.assertEqual(r.code, 0, r.err)
        calls = self.calls()
        step = calls["test"]
        div = calls["tests.test_math.test_div"]
        self.assertEqual(div["parent_id"], step["id"])
        self.assertEqual(div["trace_id"], step["trace_id"])
        self.assertTrue(div["exception"].startswith("ZeroDivisionError: division by zero\ndef test_div():"))
        self.assertEqual(div["summary"]["weave"]["latency_ms"], 2)
        self.assertEqual(div["started_at"][:19], "2026-12-02T10:15:00")
        fixture = calls["tests.test_io.test_fixture"]
        self.assertTrue(fixture["exception"].startswith('failed on setup with "FileNotFoundError"'))
        self.assertEqual(fixture["output"]["stdout_tail"], "captured \u2713 out")
        self.assertEqual(fixture["output"]["stderr_tail"], "warn <x> & done")
        skipped = calls["tests.test_math.test_skip"]
        self.assertEqual((skipped["exception"], skipped["output"]["outcome"]), (None, "skipped"))
        self.assertEqual(calls["tests.test_math.test_add"]["summary"]["weave"]["status"], "success")

    def test_surefire_and_go_reports_without_a_parent(self):
        out = self.okj("junit", "import", report("surefire.xml"))
        self.assertEqual((out["imported"], out["failed"]), (2, 1))
        calls = self.calls()
        root = calls["junit"]
        self.assertEqual(root["exception"], "1 of 2 tests failed")
        divides = calls["com.acme.CalculatorTest.divides()"]
        self.assertEqual(divides["parent_id"], root["id"])
        self.assertTrue(divides["exception"].startswith("org.opentest4j.AssertionFailedError: expected: <2> but was: <3>"))
        self.assertNotIn("passwd", divides["exception"])  # the DOCTYPE's entity is never expanded
        out = self.okj("junit", "import", "-", stdin=open(report("go.xml"), "rb").read())
        self.assertEqual((out["imported"], out["failed"], out["skipped"]), (3, 1, 1))

    def test_bad_reports_fail_in_one_line(self):
        for data, needle in [(b"<testsuite><testcase name='a'>", "not closed"), (b"not xml", "expected an element"),
                             (b"<html/>", "not <testsuites>"), (b"<testsuite>&bogus;</testsuite>", "unknown entity"),
                             (b"<a>" * 100 + b"</a>" * 100, "nest deeper"),
                             (b'<?xml version="1.0"?><!DOCTYPE testsuite [<x', "expected an element")]:
            before = self.store_hash()
            self.fails(2, needle, "junit", "import", "-", stdin=data)
            self.assertUnchanged(before)


class JunitExport(WeftTest):
    def test_export_validates_and_reads_back_the_same(self):
        for name in ("pytest.xml", "surefire.xml", "go.xml"):
            self.ok("junit", "import", report(name))
        self.run_weft("exec", "--op", "build", "--capture", "--", "sh", "-c", "echo hi; exit 2")
        xml = self.ok("calls", "query", "--format", "junit").out
        path = os.path.join(self.dir, "weft.xml")
        with open(path, "wb") as f:
            f.write(xml)
        if shutil.which("xmllint") or os.environ.get("CI") == "true":
            p = subprocess.run(["xmllint", "--noout", "--schema", XSD, path], capture_output=True)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertIn(b'<testcase classname="tests.test_math" name="test_div"', xml)
        self.assertIn(b'<skipped message="not on linux"/>', xml)
        self.assertIn(b"<system-out>hi\n</system-out>", xml)
        fresh = dict(self.env, WEFT_STORE=self.store + "-fresh")
        back = self.run_weft("junit", "import", path, env=fresh)
        self.assertEqual(back.code, 0, back.err)
        def test_cases(env):
            return {(c["op_name"], c["summary"]["weave"]["status"], (c["output"] or {}).get("outcome"))
                    for c in self.okj("calls", "query", env=env)["calls"] if "classname" in c["inputs"]}
        self.assertLessEqual(test_cases(self.env), test_cases(fresh))  # every test case read back alike
        self.assertEqual(back.code, 0)


class CallsCheck(WeftTest):
    def test_the_gate_passes_quietly_and_fails_with_the_failed_paths(self):
        ok = self.run_weft("exec", "--op", "pipeline", "--", "sh", "-c", "%s exec --op lint -- true" % BIN)
        self.assertEqual(ok.code, 0)
        trace = self.okj("calls", "query", "--op-name", "pipeline")["calls"][0]["trace_id"]
        r = self.run_weft("calls", "check", "--trace-id", trace)
        self.assertEqual((r.code, r.out), (0, b""))
        self.assertIn(b"2 calls, none failed", r.err)
        script = "%s exec --op lint -- true; %s exec --op unit -- false; true" % (BIN, BIN)
        self.run_weft("exec", "--op", "pipeline2", "--", "sh", "-c", script)
        trace = self.okj("calls", "query", "--op-name", "pipeline2")["calls"][0]["trace_id"]
        r = self.run_weft("calls", "check", "--color=never", env=dict(self.env, WEFT_TRACE_ID=trace))
        self.assertEqual(r.code, 1)
        out = r.out.decode()
        self.assertIn("1 of 3 calls failed", out)
        self.assertIn("unit", out)
        self.assertNotIn("lint", out)  # only the paths to failures


if __name__ == "__main__":
    main()
