#!/usr/bin/env python3
"""How weft's costs grow from 1M to 10M calls: for each size, SDK-shaped
calls (bench/gen_calls.py) imported into a fresh store (rate, peak RSS,
store size a call), then the first page of each question bench/run.py asks
(medians), a one-hour query-stats, a $contains scan and the peak RSS of a
query-stream of every call. weft only: run.py has the sqlite3 baselines.
Too slow for CI (10M calls take about 20 minutes and 20 GB of disk).

usage: bench/growth.py [--sizes 1000000,10000000] [--build build] [--dir DIR] [--runs 11]
Prints a markdown table on stdout.
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import CONTAINS, fresh, hyperfine, questions, timed  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(weft, work, calls, runs):
    """(what, value, unit) of one size."""
    data = os.path.join(work, "growth-%d" % calls)
    if not os.path.exists(data + ".ids"):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_calls.py"), str(calls), data, "--no-sql"],
                       check=True)
    store = os.path.join(work, "growth-store")
    fresh(store)
    env = dict(os.environ, WEFT_PROJECT="bench/p", WEFT_STORE=store)
    subprocess.run([weft, "project", "ensure"], env=env, stdout=subprocess.DEVNULL, check=True)
    seconds, rss = timed([weft, "calls", "import", data + ".ndjson"], env=env)
    out = [("calls import (calls/s)", calls / seconds), ("calls import, peak RSS (MiB)", rss),
           ("store size a call (bytes)", os.path.getsize(os.path.join(store, "data.mdb")) / calls)]
    asked, hour, _ = questions(calls, data)
    commands = [weft + " calls query " + flags for _, flags, _ in asked]
    commands += [weft + " calls query-stats " + hour, weft + " calls query-stats --filter '" + CONTAINS + "'"]
    times = hyperfine(commands, runs, env=env)
    out += [("calls query: %s (s)" % what, t) for (what, _, _), t in zip(asked, times)]
    out += [("query-stats of a one-hour window (s)", times[-2]), ("$contains on an input, a full scan (s)", times[-1])]
    _, rss = timed([weft, "calls", "query-stream"], env=env)
    out.append(("query-stream of every call, peak RSS (MiB)", rss))
    fresh(store)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--dir", default=None)
    ap.add_argument("--runs", type=int, default=11)
    a = ap.parse_args()
    weft = os.path.abspath(os.path.join(a.build, "weft"))
    work = a.dir or tempfile.mkdtemp(prefix="weft-growth-")
    os.makedirs(work, exist_ok=True)
    sizes = [int(n) for n in a.sizes.split(",")]
    results = [measure(weft, work, n, a.runs) for n in sizes]
    print("| measure | " + " | ".join("{:,} calls".format(n) for n in sizes) + " | growth |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for i, (what, _) in enumerate(results[0]):
        values = [r[i][1] for r in results]
        fmt = (lambda v: "%.4f" % v) if what.endswith("(s)") else (lambda v: "{:,.0f}".format(v))
        print("| %s | %s | %.2fx |" % (what, " | ".join(fmt(v) for v in values), values[-1] / values[0]))


if __name__ == "__main__":
    main()
