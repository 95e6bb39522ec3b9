"""Start/stop reliability benchmark of the kit's Jupyter kernel (run by start-stop.sh).

Each run: KernelManager.start_kernel, wait_for_ready (with a time limit), execute `1+1` and check
the result is 2, shutdown_kernel (a shutdown_request; jupyter_client kills the process if it has
not exited after its shutdown_wait_time). A run counts as
  ok              ready, 2, and the JVM exited by itself with status 0
  hang:start      not ready within --start-timeout
  hang:execute    no result within --exec-timeout
  hang:shutdown   the JVM had to be killed, or exited non-zero
  fail:*          anything else (wrong result, launch error)
  orphan          the JVM was still alive after shutdown_kernel returned (it is then killed)
Prints one line per run and a summary; writes all records as JSON to --out.
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def thread_dump(pid, run):
    """Saves the kernel JVM's threads (jcmd) next to the JSON report; returns the file name."""
    path = os.path.join(os.environ.get("WSSS4J_BENCH_DIR", "."), "hang-%03d-threads.txt" % run)
    with open(path, "w") as f:
        subprocess.run(["jcmd", str(pid), "Thread.print"], stdout=f, stderr=subprocess.STDOUT,
                       timeout=60, check=False)
    return path


def wait_result(kc, msg_id, timeout):
    value = None
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.05, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            value = msg["content"]["data"].get("text/plain")
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return value


def run_once(i, start_timeout, exec_timeout):
    rec = {"run": i, "outcome": "ok"}
    km = KernelManager(kernel_name="java")
    t0 = time.monotonic()
    proc = None
    kc = None
    try:
        km.start_kernel()
        proc = km.provisioner.process
        rec["pid"] = proc.pid
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=start_timeout)
        except RuntimeError as e:
            rec["outcome"] = "hang:start"
            rec["error"] = str(e)
            if proc.poll() is None:
                rec["thread_dump"] = thread_dump(proc.pid, i)
            return rec
        rec["ready_s"] = round(time.monotonic() - t0, 3)
        t1 = time.monotonic()
        msg_id = kc.execute("1+1")
        try:
            value = wait_result(kc, msg_id, exec_timeout)
        except Exception as e:  # queue.Empty on timeout
            rec["outcome"] = "hang:execute"
            rec["error"] = repr(e)
            rec["thread_dump"] = thread_dump(proc.pid, i)
            # Slow or stuck? Keep listening a while longer and note when (if) it answers.
            try:
                wait_result(kc, msg_id, 90)
                rec["late_s"] = round(time.monotonic() - t1, 3)
            except Exception:
                pass
            return rec
        rec["execute_s"] = round(time.monotonic() - t1, 3)
        if value != "2":
            rec["outcome"] = "fail:execute"
            rec["error"] = "1+1 gave %r" % (value,)
    except Exception as e:
        rec["outcome"] = "fail:launch"
        rec["error"] = repr(e)
    finally:
        t2 = time.monotonic()
        if kc is not None:
            kc.stop_channels()
        rec["stop_channels_s"] = round(time.monotonic() - t2, 3)
        t2 = time.monotonic()
        try:
            km.shutdown_kernel(now=False)
        except Exception as e:
            rec.setdefault("error", "shutdown: %r" % (e,))
        rec["shutdown_s"] = round(time.monotonic() - t2, 3)
        if proc is not None:
            rc = proc.poll()
            rec["exit_code"] = rc
            if rc != 0 and rec["outcome"] == "ok":
                rec["outcome"] = "hang:shutdown"
            if alive(proc.pid) and proc.poll() is None:
                rec["outcome"] = "orphan"
                os.kill(proc.pid, signal.SIGKILL)
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--start-timeout", type=float, default=60)
    ap.add_argument("--exec-timeout", type=float, default=30)
    ap.add_argument("--out", default="start-stop.json")
    a = ap.parse_args()
    records = []
    started = time.monotonic()
    for i in range(1, a.runs + 1):
        t = time.monotonic()
        rec = run_once(i, a.start_timeout, a.exec_timeout)
        rec["total_s"] = round(time.monotonic() - t, 3)
        records.append(rec)
        print("run %3d  %-14s ready %6s s  1+1 %6s s  shutdown %6s s  total %6s s  exit %s %s" % (
            i, rec["outcome"], rec.get("ready_s", "-"), rec.get("execute_s", "-"),
            rec.get("shutdown_s", "-"), rec["total_s"], rec.get("exit_code", "-"),
            rec.get("error", "")),
            flush=True)
    outcomes = {}
    for r in records:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    ready = sorted(r["ready_s"] for r in records if "ready_s" in r)
    shut = sorted(r["shutdown_s"] for r in records if "shutdown_s" in r)
    summary = {
        "runs": a.runs,
        "outcomes": outcomes,
        "hangs": sum(v for k, v in outcomes.items() if k.startswith("hang")),
        "failures": sum(v for k, v in outcomes.items() if k != "ok"),
        "ready_s_median": statistics.median(ready) if ready else None,
        "ready_s_max": max(ready) if ready else None,
        "shutdown_s_median": statistics.median(shut) if shut else None,
        "shutdown_s_max": max(shut) if shut else None,
        "wall_s": round(time.monotonic() - started, 1),
    }
    with open(a.out, "w") as f:
        json.dump({"summary": summary, "runs": records}, f, indent=1)
    print(json.dumps(summary))
    return 0 if summary["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
