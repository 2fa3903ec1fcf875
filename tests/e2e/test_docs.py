#!/usr/bin/env python3
"""The checked-in man page is what the CLI generates, names every command,
and renders without warnings."""
import os
import shutil
import subprocess
import unittest

from weftlib import BIN, WeftTest, main

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


class DocsTest(WeftTest):
    def test_man_page_is_generated_output(self):
        with open(os.path.join(ROOT, "man", "weft.1"), "rb") as f:
            checked_in = f.read()
        self.assertEqual(self.ok("manpage").out, checked_in,
                         "man/weft.1 is stale: run build/weft manpage > man/weft.1")

    def test_every_command_is_in_the_man_page(self):
        page = self.ok("manpage").out.decode()
        help_text = self.ok("--help").out.decode()
        groups = [line.split()[0] for line in help_text.split("Subcommands:")[1].splitlines() if line.strip()]
        self.assertIn("calls", groups)
        for group in groups:
            verbs = self.ok(group, "--help").out.decode().split("Subcommands:")[1].splitlines()
            for verb in [v.split()[0] for v in verbs if v.strip()]:
                self.assertIn('.SS "weft %s %s"' % (group, verb), page)

    @unittest.skipUnless(shutil.which("groff"), "needs groff (man-db)")
    def test_man_page_renders_without_warnings(self):
        p = subprocess.run(["groff", "-man", "-ww", "-z", os.path.join(ROOT, "man", "weft.1")],
                           capture_output=True)
        self.assertEqual(p.stderr, b"")


if __name__ == "__main__":
    main()
