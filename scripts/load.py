"""Load test (`make load`, not a test): N concurrent clients asking for a while against the server
in its own process on loopback.

    python scripts/load.py [--users 20] [--seconds 60] [--think 0] [--api json|gradio|both]

`json` is the plain JSON route POST /api/ask; `gradio` is Gradio's REST endpoint /ask (POST
/gradio_api/call/ask, then its event stream). Every question is different, so no cache helps.
Reports requests/s, p50/p95 latency, errors and the server's CPU time per request.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
import uuid
from pathlib import Path

from soak import QUESTIONS, gradio_ask, json_ask, start_server

CLK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def run(api: str, users: int, seconds: float, think: float) -> dict:
    proc, base = start_server()
    ask = gradio_ask if api == "gradio" else json_ask
    for q in QUESTIONS[:3]:  # warm up
        json_ask(base, q.format(n=100, m=3))
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    counter = [0]

    def user() -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            with lock:
                counter[0] += 1
                n = counter[0]
            q = QUESTIONS[n % len(QUESTIONS)].format(n=100 + n, m=1 + n % 18) + f" {uuid.uuid4().hex[:6]}"
            t = time.perf_counter()
            try:
                ask(base, q)
                with lock:
                    latencies.append(time.perf_counter() - t)
            except Exception:  # noqa: BLE001 - counted
                with lock:
                    errors += 1
            if think:
                time.sleep(think)

    cpu0, t0 = cpu_seconds(proc.pid), time.perf_counter()
    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - t0, cpu_seconds(proc.pid) - cpu0
    proc.terminate()
    proc.wait(timeout=30)
    lat = sorted(latencies)
    n = len(lat)
    return {"api": api, "users": users, "think_s": think, "seconds": round(elapsed, 1),
            "requests": n, "errors": errors, "requests_per_s": round(n / elapsed, 1),
            "p50_ms": round(statistics.median(lat) * 1000) if lat else None,
            "p95_ms": round(lat[min(n - 1, int(0.95 * (n - 1)))] * 1000) if lat else None,
            "server_cpu_ms_per_request": round(cpu / max(1, n) * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds each user waits after an answer (0: a closed-loop stress test)")
    ap.add_argument("--api", choices=("json", "gradio", "both"), default="both")
    args = ap.parse_args()
    apis = ["gradio", "json"] if args.api == "both" else [args.api]
    print(json.dumps([run(api, args.users, args.seconds, args.think) for api in apis],
                     ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
