#!/usr/bin/env python3
"""The reliability storms, as a user's CI machine would make them (issue
R1/R2 in RESULTS.md), each printing what it checked:

  r1: WRITERS writers each record 1 root and CALLS nested calls with
      `weft exec`, while READERS readers stream the store all along; then
      every call is there, every child under its root, and `weft check`
      passes.
  r2: KILLS processes each start a call, and are killed (SIGKILL) at a
      random moment; every call a process reported (printed its id) is in
      the store, and `weft check` passes.

usage: bench/storms.py [r1|r2|all] [--writers 8] [--calls 1000] [--readers 4] [--kills 200] [--weft build/weft]
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def r1(weft, env, a):
    t0 = time.time()
    loop = "i=0; while [ $i -lt %d ]; do %s exec --op child -- true || exit 1; i=$((i+1)); done" % (a.calls, weft)
    writers = [subprocess.Popen([weft, "exec", "--op", "root%d" % w, "--", "sh", "-c", loop], env=env,
                                stderr=subprocess.PIPE) for w in range(a.writers)]
    reads, failed_reads = 0, 0
    readers = []
    while any(w.poll() is None for w in writers):
        readers = [r for r in readers if r.poll() is None]
        while len(readers) < a.readers:
            readers.append(subprocess.Popen([weft, "calls", "query-stream"], env=env, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))
            reads += 1
        time.sleep(0.05)
    for r in readers:
        failed_reads += r.wait() != 0
    codes = [w.wait() for w in writers]
    seconds = time.time() - t0
    # weft exec never waits for the store: when it is busy, the command runs
    # at once and its call is recorded after it.
    deferred = sum(w.stderr.read().decode().count("recording it afterwards") for w in writers)
    calls = [json.loads(l) for l in subprocess.run([weft, "calls", "query-stream"], env=env, capture_output=True,
                                                   check=True, text=True).stdout.splitlines()]
    roots = {c["id"]: c for c in calls if c["parent_id"] is None}
    children = [c for c in calls if c["parent_id"] is not None]
    want = a.writers * (a.calls + 1)
    ok_nesting = all(c["parent_id"] in roots and c["trace_id"] == roots[c["parent_id"]]["trace_id"] for c in children)
    ended = sum(c["ended_at"] is not None for c in calls)
    check = subprocess.run([weft, "check"], env=env, capture_output=True).returncode
    print("r1: %d writers x %d nested calls with %d readers (%d streams started, %d failed) in %.1f s;"
          " %d calls recorded after their command because the store was busy" % (
              a.writers, a.calls, a.readers, reads, failed_reads, seconds, deferred))
    print("r1: writers exited %s; calls stored %d of %d, ended %d; every child under its root: %s; weft check: %s" % (
        sorted(set(codes)), len(calls), want, ended, ok_nesting, "clean" if check == 0 else "DAMAGED"))
    return len(calls) == want and ended == want and ok_nesting and check == 0 and not any(codes) and not failed_reads


def r2(weft, env, a):
    rng = random.Random(7)
    t0 = time.time()
    procs = []
    for i in range(a.kills):  # each killed somewhere in its few milliseconds of life, or just after
        p = subprocess.Popen([weft, "call", "start", "--op", "killed", "--inputs", json.dumps({"i": i})], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        procs.append(p)
        time.sleep(rng.uniform(0, 0.008))
        p.send_signal(signal.SIGKILL)
    reported, killed = [], 0
    for p in procs:
        out = p.stdout.read().decode()
        code = p.wait()
        killed += code == -signal.SIGKILL
        if code == 0 and out.strip():
            reported.append(json.loads(out)["id"])
    stored = {json.loads(l)["id"] for l in subprocess.run([weft, "calls", "query-stream"], env=env, capture_output=True,
                                                         check=True, text=True).stdout.splitlines()}
    lost = [i for i in reported if i not in stored]
    check = subprocess.run([weft, "check"], env=env, capture_output=True).returncode
    print("r2: %d writers started, %d killed by SIGKILL, %d reported their call, in %.1f s" % (
        a.kills, killed, len(reported), time.time() - t0))
    print("r2: calls stored %d; reported but lost %d; weft check: %s; later writes work: %s" % (
        len(stored), len(lost), "clean" if check == 0 else "DAMAGED",
        subprocess.run([weft, "call", "start", "--op", "after"], env=env, capture_output=True).returncode == 0))
    return not lost and check == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("storm", nargs="?", default="all", choices=["r1", "r2", "all"])
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    a = ap.parse_args()
    weft = os.path.abspath(a.weft)
    ok = True
    for storm in (["r1", "r2"] if a.storm == "all" else [a.storm]):
        work = tempfile.mkdtemp(prefix="weft-storm-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("WEFT_")}
        env.update(WEFT_STORE=os.path.join(work, "store"), WEFT_PROJECT="storm/" + storm, WEFT_WAIT="60")
        try:
            ok &= (r1 if storm == "r1" else r2)(weft, env, a)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
