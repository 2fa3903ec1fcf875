#!/usr/bin/env python3
"""The checked-in man page is what the CLI generates, names every command,
and renders without warnings; every `docs/...md#anchor` a source file
points to exists, and ARCHITECTURE.md names every source file."""
import glob
import os
import re
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

    def test_every_environment_variable_read_is_in_the_man_page(self):
        page = self.ok("manpage").out.decode().replace("\\-", "-")
        read = set()
        for path in glob.glob(os.path.join(ROOT, "*", "**", "*.cc"), recursive=True):
            with open(path, encoding="utf-8") as f:
                for a, b in re.findall(r'getenv\("([A-Z_]+)"\)|Env\("([A-Z_]+)"\)', f.read()):
                    read.add(a or b)
        self.assertIn("WEFT_PROJECT", read)
        internal = {"WEFT_OTLP_HEADERS", "HOME"}  # push --otlp's headers on their way to the helper; the usual HOME
        ci = {v for v in read if not v.startswith(("WEFT_", "WF_", "WANDB_", "OTEL_")) and v not in
              ("NO_COLOR", "NETRC", "TRACEPARENT", "TRACESTATE", "HOME")}  # the CI/CD conventions (docs/otel.md)
        for name in sorted(read - internal - ci):
            self.assertTrue(name in page, "%s is read but not in man/weft.1 (ENVIRONMENT)" % name)

    @unittest.skipUnless(shutil.which("groff"), "needs groff (man-db)")
    def test_man_page_renders_without_warnings(self):
        p = subprocess.run(["groff", "-man", "-ww", "-z", os.path.join(ROOT, "man", "weft.1")],
                           capture_output=True)
        self.assertEqual(p.stderr, b"")


def slug(heading):
    """A heading's anchor as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


class DocLinksTest(unittest.TestCase):
    def test_every_docs_anchor_in_the_code_exists(self):
        anchors = {}
        for md in glob.glob(os.path.join(ROOT, "docs", "*.md")) + [os.path.join(ROOT, "ARCHITECTURE.md")]:
            with open(md) as f:
                heads = [m.group(1) for m in (re.match(r"^#+\s+(.*)", line) for line in f) if m]
            anchors[os.path.relpath(md, ROOT)] = {slug(h) for h in heads}
        broken = []
        for folder in ("base", "store", "core", "cli", "http", "remote", "tools", "tests", "bench"):
            for path in glob.glob(os.path.join(ROOT, folder, "**", "*"), recursive=True):
                if "node_modules" in path or not path.endswith((".h", ".cc", ".py", ".mjs", ".cmake", ".md")):
                    continue
                with open(path, errors="replace") as f:
                    text = f.read()
                for m in re.finditer(r"((?:docs/[a-z_\-]+|ARCHITECTURE)\.md)#([a-z0-9_\-]+)", text):
                    if m.group(2) not in anchors.get(m.group(1), set()):
                        broken.append("%s: %s#%s" % (os.path.relpath(path, ROOT), m.group(1), m.group(2)))
        self.assertEqual(broken, [])

    def test_unit_test_files_are_named_after_what_they_test(self):
        # test_<layer>_<stem>.cc tests <layer>/**/<stem>.{h,cc} or the folder <layer>/**/<stem>/;
        # the suites that cut across files say so here.
        across = {"store_golden": "the store format, byte for byte (store/FORMAT.md)",
                  "core_fidelity": "Weave's corners (docs/semantics.md)",
                  "core_interface_coverage": "every method of Weave's interface"}
        wrong = []
        for path in glob.glob(os.path.join(ROOT, "tests", "unit", "test_*.cc")):
            name = os.path.basename(path)[len("test_"):-len(".cc")]
            layer, _, stem = name.partition("_")
            found = glob.glob(os.path.join(ROOT, layer, "**", stem + ".*"), recursive=True) + \
                glob.glob(os.path.join(ROOT, layer, "**", stem + "/"), recursive=True)
            if name not in across and not found:
                wrong.append(os.path.basename(path))
        self.assertEqual(wrong, [])

    def test_architecture_names_every_source_file(self):
        with open(os.path.join(ROOT, "ARCHITECTURE.md")) as f:
            arch = f.read()
        missing = []
        for folder in ("base", "store", "core", "cli", "http", "remote"):
            for path in glob.glob(os.path.join(ROOT, folder, "**", "*.*"), recursive=True):
                name = os.path.basename(path)
                stem = name.rsplit(".", 1)[0]
                if path.endswith((".h", ".cc")) and name not in arch and "`%s." % stem not in arch:
                    missing.append(os.path.relpath(path, ROOT))
        self.assertEqual(missing, [])


if __name__ == "__main__":
    main()
