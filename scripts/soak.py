"""Soak (`make soak`, not a test): thousands of REST calls against the server in its own process,
sampling its memory, to show that RSS flattens instead of growing with traffic.

    python scripts/soak.py [--calls 5000] [--clients 4] [--api gradio|json|both]

`gradio` is Gradio's REST endpoint /ask (POST /gradio_api/call/ask, then its event stream);
`json` is the plain JSON route /api/ask. Every call uses a new session id, the pattern that grew
memory before. Prints RSS after the first 500 calls, at the end and after 30 s idle, as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

QUESTIONS = [
    "手术机器人有政策支持吗?", "人形机器人首台套销售额{n}万元补助多少?", "工作专班怎么建立?",
    "首次采购杭州企业的芯片{n}万元能拿多少奖励?", "第{m}条讲什么?", "杭州小客车摇号怎么申请?",
    "危化品生产巡检可以用机器人吗?", "机器人出海行动的责任单位是哪个?",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def post(url: str, payload: dict, timeout: float = 60) -> bytes:
    req = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read()


def gradio_ask(base: str, question: str) -> None:
    event = json.loads(post(base + "gradio_api/call/ask", {"data": [question, uuid.uuid4().hex]}))["event_id"]
    with urllib.request.urlopen(base + f"gradio_api/call/ask/{event}", timeout=60) as resp:
        body = resp.read().decode()
    if "event: complete" not in body:
        raise RuntimeError(body[:200])


def json_ask(base: str, question: str) -> None:
    out = json.loads(post(base + "api/ask", {"question": question, "session_id": uuid.uuid4().hex}))
    if "answer" not in out:
        raise RuntimeError(str(out)[:200])


def start_server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, POLICY_DB=str(Path(tempfile.mkdtemp()) / "soak.sqlite3"),
               POLICY_UI_RATE_PER_MINUTE="1000000")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "api/health", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start")


def run(api: str, calls: int, clients: int) -> dict:
    proc, base = start_server()
    ask = gradio_ask if api == "gradio" else json_ask
    done = errors = 0
    lock = threading.Lock()
    samples: list[tuple[int, float]] = [(0, rss_mb(proc.pid))]

    def worker() -> None:
        nonlocal done, errors
        while True:
            with lock:
                if done >= calls:
                    return
                done += 1
                n = done
            q = QUESTIONS[n % len(QUESTIONS)].format(n=100 + n, m=1 + n % 18) + f" ({n})"
            try:
                ask(base, q)
            except Exception:  # noqa: BLE001 - counted, the soak goes on
                with lock:
                    errors += 1
            if n % 250 == 0:
                with lock:
                    samples.append((n, rss_mb(proc.pid)))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    end = rss_mb(proc.pid)
    time.sleep(30)
    idle = rss_mb(proc.pid)
    proc.terminate()
    proc.wait(timeout=30)
    after_500 = next((r for n, r in samples if n >= 500), samples[-1][1])
    return {"api": api, "calls": calls, "clients": clients, "errors": errors,
            "seconds": round(elapsed, 1), "requests_per_s": round(calls / elapsed, 1),
            "rss_start_mb": round(samples[0][1]), "rss_after_500_mb": round(after_500),
            "rss_end_mb": round(end), "rss_after_30s_idle_mb": round(idle),
            "growth_after_500_mb": round(end - after_500, 1),
            "target": "rss_end <= rss_after_500 + 50 MB",
            "ok": end <= after_500 + 50 and errors == 0,
            "samples": [(n, round(r)) for n, r in samples]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--api", choices=("gradio", "json", "both"), default="both")
    args = ap.parse_args()
    apis = ["gradio", "json"] if args.api == "both" else [args.api]
    results = [run(api, args.calls, args.clients) for api in apis]
    print(json.dumps(results, ensure_ascii=False, indent=2))
    raise SystemExit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
