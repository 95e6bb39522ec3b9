"""Drives the kit's kernel through jupyter_client and prints one JSON object of findings.

Run by KernelProtocolTest with Debian's /usr/bin/python3 and JUPYTER_PATH pointing at the test
kernelspec. Mode "protocol": execute, interrupt, complete, errors, shutdown. Mode "orphan": start
a kernel, print its pid, then wait to be killed (the test checks the kernel exits by itself).
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager


def reply_to(kc, msg_id, timeout):
    deadline = time.time() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]


def execute(kc, code, timeout=60, action=None):
    """Runs code; returns (reply content, outputs); action(kc) runs while the cell is busy."""
    msg_id = kc.execute(code)
    if action is not None:
        action()
    outputs = []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "execute_result", "display_data", "error"):
            content = dict(msg["content"])
            content["output_type"] = kind
            outputs.append(content)
    return reply_to(kc, msg_id, timeout), outputs


def protocol():
    out = {}
    km = KernelManager(kernel_name="java")
    started = time.time()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        out["ready_s"] = round(time.time() - started, 2)
        info = reply_to(kc, kc.kernel_info(), 10)
        out["language"] = info["language_info"]["name"]

        rep, outs = execute(kc, "1 + 1")
        out["one_plus_one"] = [o.get("data", {}).get("text/plain") for o in outs]

        def interrupt_later():
            time.sleep(2.0)
            out["interrupt_sent_s"] = round(time.time() - started, 2)
            km.interrupt_kernel()

        t0 = time.time()
        rep, outs = execute(kc, "long spins = 0;\nwhile (true) { spins++; }", timeout=30,
                            action=interrupt_later)
        out["interrupt"] = {"status": rep["status"], "evalue": rep.get("evalue", ""),
                            "seconds": round(time.time() - t0, 2)}
        rep, outs = execute(kc, "spins > 0")
        out["after_interrupt"] = [o.get("data", {}).get("text/plain") for o in outs]

        execute(kc, 'String word = "x";')
        code = "int n = 1;\nword.len"
        comp = reply_to(kc, kc.complete(code, len(code)), 20)
        out["complete"] = {"matches": comp["matches"], "start": comp["cursor_start"],
                           "end": comp["cursor_end"]}

        rep, outs = execute(kc, "int a = 1;\nint b = nope;")
        out["compile_error"] = {"status": rep["status"], "evalue": rep.get("evalue", ""),
                                "outputs": [o["output_type"] for o in outs]}
        rep, outs = execute(kc, 'int c = 2;\nif (c > 1)\n  throw new IllegalStateException("boom");')
        out["runtime_error"] = {"status": rep["status"], "evalue": rep.get("evalue", "")}

        rep, outs = execute(kc, "new java.awt.image.BufferedImage(8, 6, 1)")
        out["image"] = [sorted(o.get("data", {}).keys()) for o in outs]
    finally:
        kc.stop_channels()
        t0 = time.time()
        km.shutdown_kernel(now=False)
        out["shutdown_s"] = round(time.time() - t0, 2)
        out["alive_after_shutdown"] = km.is_alive()
    return out


def orphan():
    km = KernelManager(kernel_name="java")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    print(json.dumps({"kernel_pid": km.provisioner.process.pid}), flush=True)
    time.sleep(600)


if __name__ == "__main__":
    if sys.argv[1] == "protocol":
        print(json.dumps(protocol()), flush=True)
    elif sys.argv[1] == "orphan":
        orphan()
    else:
        sys.exit("usage: kernel_check.py protocol|orphan")
