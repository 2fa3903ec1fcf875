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
                         "man/weft.1 is stale: run tools/regenerate")

    def test_every_command_is_in_the_man_page(self):
        page = self.ok("manpage").out.decode()
        def subcommands(*args):
            block = self.ok(*args, "--help").out.decode().split("Subcommands:\n")[1].split("\n\n")[0]
            return [line.split()[0] for line in block.splitlines()]
        groups = subcommands()
        self.assertIn("calls", groups)
        for group in groups:
            help_text = self.ok(group, "--help").out.decode()
            verbs = subcommands(group) if "Subcommands:" in help_text else [None]
            for verb in verbs:
                title = "weft %s %s" % (group, verb) if verb else "weft %s" % group
                self.assertTrue('.SS "%s"' % title in page, "%s is not in man/weft.1" % title)

    @unittest.skipUnless(shutil.which("groff"), "needs groff (man-db)")
    def test_man_page_renders_without_warnings(self):
        p = subprocess.run(["groff", "-man", "-ww", "-z", os.path.join(ROOT, "man", "weft.1")],
                           capture_output=True)
        self.assertEqual(p.stderr, b"")


if __name__ == "__main__":
    main()
