#!/usr/bin/env python3
"""export, import and push at scale, against `weft calls import` of the same
SDK-shaped calls (bench/gen_calls.py, UUIDv7 ids) in the same run:
- export of the store to /dev/null, in MB/s (issue 25: >= 300 MB/s);
- import of that export into an empty store, against calls import
  (issue 25: <= 1.2x its time);
- push into `weft serve` over another store on this machine, against calls
  import (issue 25: >= 0.5x its rate; both processes share the cores).

usage: bench/transfer.py [--calls N] [--runs R] [--weft build/weft] [--dir DIR]
Prints a markdown report on stdout (medians of --runs).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, env, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    ap.add_argument("--dir", default=None)
    a = ap.parse_args()
    weft = os.path.abspath(a.weft)
    work = a.dir or tempfile.mkdtemp(prefix="weft-transfer-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "calls")
    if not os.path.exists(data + ".ndjson"):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_calls.py"), str(a.calls), data], check=True)
    env = dict(os.environ, WEFT_PROJECT="bench/p")
    src = os.path.join(work, "src")
    calls_import, imports, exports, pushes = [], [], [], []
    for _ in range(a.runs):
        calls_import.append(timed([weft, "--store", fresh(src), "calls", "import", data + ".ndjson"], env))
    dump = os.path.join(work, "export.ndjson")
    subprocess.run([weft, "--store", src, "export", "-o", dump], env=env, check=True)
    size = os.path.getsize(dump)
    for _ in range(a.runs):
        exports.append(timed([weft, "--store", src, "export", "-o", "/dev/null"], env))
        imports.append(timed([weft, "--store", fresh(os.path.join(work, "imported")), "import", dump], env))
    for _ in range(a.runs):
        src_copy = fresh(os.path.join(work, "src-copy"))
        shutil.copytree(src, src_copy)  # no sync state: a first push every run
        server = subprocess.Popen([weft, "--store", fresh(os.path.join(work, "remote")), "serve", "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        url = server.stdout.readline().decode().strip()
        pushes.append(timed([weft, "--store", src_copy, "push", "--to", url], dict(env, WANDB_BASE_URL=url)))
        server.terminate()
        server.wait()
    m = statistics.median
    n = a.calls
    print("## export, import and push (bench/transfer.py, %s calls, UUIDv7 ids, medians of %d)\n" % (format(n, ","), a.runs))
    print("| what | time | rate | against | target |")
    print("|---|---|---|---|---|")
    print("| `calls import` (baseline) | %.2f s | %s calls/s | | |" % (m(calls_import), format(int(n / m(calls_import)), ",")))
    print("| `export` to /dev/null (%.0f MB) | %.2f s | %.0f MB/s | | >= 300 MB/s |" % (size / 1e6, m(exports), size / 1e6 / m(exports)))
    print("| `import` of the export | %.2f s | %s calls/s | %.2fx calls import's time | <= 1.2x |" % (
        m(imports), format(int(n / m(imports)), ","), m(imports) / m(calls_import)))
    print("| `push` into `weft serve` | %.2f s | %s calls/s | %.2fx calls import's rate | >= 0.5x |" % (
        m(pushes), format(int(n / m(pushes)), ","), m(calls_import) / m(pushes)))
    if not a.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
