#!/usr/bin/env python3
"""Peak memory of one big value: `weft obj create` of a 100 MB string value
(given with --json @FILE) and `weft obj read` of it, against the value's
size (target: peak RSS <= 3x the value).

usage: bench/big_value.py [--mb 100] [--weft build/weft]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run import peak_rss_mib  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    a = ap.parse_args()
    weft = os.path.abspath(a.weft)
    work = tempfile.mkdtemp(prefix="weft-big-")
    try:
        req = os.path.join(work, "req.json")
        with open(req, "w") as f:
            json.dump({"obj": {"project_id": "bench/big", "object_id": "big", "val": {"data": "x" * (a.mb * 1000000)}}}, f)
        store = os.path.join(work, "store")
        create = peak_rss_mib([weft, "--store", store, "obj", "create", "--json", "@" + req])
        read = peak_rss_mib([weft, "--store", store, "obj", "read", "--project", "bench/big", "--name", "big", "--digest", "latest"])
        meta = peak_rss_mib([weft, "--store", store, "objs", "query", "--project", "bench/big", "--metadata-only"])
        size = a.mb * 1000000 / 2**20
        print("## one %d MB value (bench/big_value.py)\n" % a.mb)
        print("| command | peak RSS | x the value | target |")
        print("|---|---|---|---|")
        print("| `obj create --json @FILE` | %.0f MiB | %.1fx | <= 3x |" % (create, create / size))
        print("| `obj read` | %.0f MiB | %.1fx | <= 3x |" % (read, read / size))
        print("| `objs query --metadata-only` | %.0f MiB | %.2fx | reads no value |" % (meta, meta / size))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
