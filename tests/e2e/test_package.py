"""The Debian package: `cpack -G DEB` in the build folder makes
weft_<version>_<arch>.deb; `apt-get install ./weft_*.deb` installs it, the
installed weft records and serves (its helper found in /usr/libexec/weft),
the man page and completions are where man and the shells look, and
`apt-get remove` takes it all away again.

Needs root, apt-get and dpkg-shlibdeps (tools/install-deps installs
dpkg-dev); without them the test is skipped, except under CI, where that is
a failure. It installs into the machine it runs on, so it runs only when
weft is not installed already."""
import glob
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.request

from weftlib import BIN

BUILD = os.path.dirname(BIN)
CAN = os.geteuid() == 0 and shutil.which("apt-get") and shutil.which("dpkg-shlibdeps") and shutil.which("cpack")


def run(*cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=600, **kw)


@unittest.skipIf(not CAN and os.environ.get("CI") != "true", "needs root, apt-get, cpack and dpkg-shlibdeps")
class DebianPackageTest(unittest.TestCase):
    def test_the_package_installs_runs_and_removes(self):
        self.assertFalse(os.path.exists("/usr/bin/weft"), "weft is installed already; the test would replace it")
        out = tempfile.mkdtemp(prefix="weft-deb-")
        self.addCleanup(shutil.rmtree, out, True)
        p = run("cpack", "-G", "DEB", "-B", out, cwd=BUILD)
        self.assertEqual(p.returncode, 0, p.stdout.decode()[-2000:] + p.stderr.decode()[-2000:])
        deb, = glob.glob(os.path.join(out, "weft_*.deb"))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        p = run("apt-get", "install", "-y", "-q", "--no-install-recommends", deb, env=env)
        self.assertEqual(p.returncode, 0, p.stdout.decode()[-2000:] + p.stderr.decode()[-2000:])
        self.addCleanup(run, "apt-get", "remove", "-y", "-q", "weft", env=env)

        files = run("dpkg", "-L", "weft").stdout.decode().split()
        for path in ("/usr/bin/weft", "/usr/libexec/weft/weft-http", "/usr/libexec/weft/weft-remote",
                     "/usr/share/man/man1/weft.1", "/usr/share/bash-completion/completions/weft",
                     "/usr/share/zsh/vendor-completions/_weft", "/usr/share/fish/vendor_completions.d/weft.fish"):
            self.assertIn(path, files)

        # The installed weft records a step and serves it through its helper.
        work = tempfile.mkdtemp(prefix="weft-deb-run-")
        self.addCleanup(shutil.rmtree, work, True)
        wenv = dict(os.environ, WEFT_PROJECT="acme/deb", HOME=work)
        self.assertEqual(run("/usr/bin/weft", "exec", "--", "true", cwd=work, env=wenv).returncode, 0)
        served = subprocess.Popen(["/usr/bin/weft", "serve", "--port", "0"], cwd=work, env=wenv,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            url = served.stdout.readline().decode().strip()
            self.assertTrue(url.startswith("http://"), served.stderr.read1().decode() if not url else url)
            with urllib.request.urlopen(url + "/health", timeout=30) as r:
                self.assertEqual(r.status, 200)
        finally:
            served.terminate()
            served.wait(timeout=30)
            served.stdout.close()
            served.stderr.close()

        p = run("apt-get", "remove", "-y", "-q", "weft", env=env)
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-2000:])
        self.assertFalse(os.path.exists("/usr/bin/weft"))
        self.assertFalse(os.path.exists("/usr/libexec/weft"))


if __name__ == "__main__":
    unittest.main()
