#!/usr/bin/env python3
"""The style budgets hold (tools/check_style): every C++ source is laid out
as .clang-format says, and no function of the layers passes 60 lines or
nests deeper than 4 unless tools/function_size_exceptions lists it."""
import os
import subprocess
import unittest

from weftlib import BIN, main

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


class StyleTest(unittest.TestCase):
    def test_style_budgets(self):
        build = os.path.dirname(os.path.abspath(BIN))
        run = subprocess.run([os.path.join(ROOT, "tools", "check_style"), build],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)


if __name__ == "__main__":
    main()
