"""Helpers for end-to-end tests: run the built weft binary as a user would.

Each test gets a fresh temporary folder; `Weft.run` returns the exit code,
stdout and stderr, and `Weft.ok` / `Weft.fails` check the contract
(exit code, one 'weft: error:' line, nothing on stdout)."""
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BIN = os.path.abspath(os.environ.get("WEFT_BIN") or os.path.join(os.path.dirname(__file__), "../../build/weft"))


class Result:
    def __init__(self, p):
        self.code, self.out, self.err = p.returncode, p.stdout, p.stderr

    def json(self):
        return json.loads(self.out)


class WeftTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="weft-e2e-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)  # runs even when setUp skips
        self.store = os.path.join(self.dir, "store")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("WEFT_")}
        self.env["WEFT_STORE"] = self.store
        self.env["WEFT_PROJECT"] = "acme/app"

    def run_weft(self, *args, stdin=None, env=None, cwd=None):
        p = subprocess.run([BIN, *args], input=stdin if isinstance(stdin, (bytes, type(None))) else stdin.encode(),
                           capture_output=True, env=env or self.env, cwd=cwd or self.dir, timeout=60)
        return Result(p)

    def ok(self, *args, **kw):
        r = self.run_weft(*args, **kw)
        self.assertEqual(r.code, 0, "weft %s failed: %s" % (" ".join(args), r.err.decode()))
        return r

    def okj(self, *args, **kw):
        return self.ok(*args, **kw).json()

    def fails(self, code, needle, *args, **kw):
        """The command fails with `code`, prints nothing on stdout and one error
        line on stderr that mentions `needle`."""
        r = self.run_weft(*args, **kw)
        err = r.err.decode()
        self.assertEqual(r.code, code, "weft %s: want exit %d, got %d: %s" % (" ".join(args), code, r.code, err))
        self.assertEqual(r.out, b"", "stdout must be empty on failure")
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, "want one stderr line, got %r" % err)
        self.assertTrue(lines[0].startswith("weft: error: "), lines[0])
        self.assertIn(needle, lines[0])
        return lines[0]

    def as_nobody(self):
        """The command prefix that runs a copy of weft as user nobody (root
        passes every permission check, so read-only tests need another user;
        the copy sits in this test's folder, which nobody can reach)."""
        os.chmod(self.dir, 0o755)
        copy = os.path.join(self.dir, "weft")
        shutil.copy(BIN, copy)
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy]

    def store_hash(self):
        path = os.path.join(self.store, "data.mdb")
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    def assertUnchanged(self, before):
        self.assertEqual(self.store_hash(), before, "the store changed")


class UnchangedStoreTest(WeftTest):
    """Every test leaves the store as seed() made it: failures write nothing."""

    def seed(self):
        raise NotImplementedError

    def setUp(self):
        super().setUp()
        self.seed()
        self.before = self.store_hash()

    def tearDown(self):
        self.assertUnchanged(self.before)
        super().tearDown()


def npm_ci(source, into, files=()):
    """npm ci of source's package-lock.json into `into` (in the build tree),
    once per lock file; files are copied beside it."""
    os.makedirs(into, exist_ok=True)
    # Tests run side by side (ctest -j) may share `into`: one installs, the
    # others wait for it and find its stamp.
    with open(os.path.join(into, ".weft-npm-ci"), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        for name in ("package.json", "package-lock.json", *files):
            shutil.copy(os.path.join(source, name), into)
        stamp = os.path.join(into, "node_modules", ".weft-lock")
        with open(os.path.join(source, "package-lock.json"), "rb") as f:
            lock = hashlib.sha256(f.read()).hexdigest()
        if os.path.exists(stamp):
            with open(stamp) as f:
                if f.read() == lock:
                    return
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=into, check=True,
                       timeout=600)
        with open(stamp, "w") as f:
            f.write(lock)


def main():
    unittest.main(verbosity=1)
