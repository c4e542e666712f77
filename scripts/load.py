"""Load test (not a test): N concurrent gradio_client users asking for a while against loopback.

    python scripts/load.py [--users 20] [--seconds 60] [--url http://127.0.0.1:PORT/]

Without --url it starts the app in its own process on a free loopback port. Reports requests/s, p50/p95
latency and errors. Only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

QUESTIONS = [
    "手术机器人有政策支持吗?", "人形机器人首台套销售额3000万元补助多少?", "工作专班怎么建立?",
    "首次采购杭州非关联企业研发的智能芯片,金额150万元,奖励多少?", "第十六条的内容是什么?",
    "杭州小客车摇号怎么申请?", "危化品生产巡检可以用机器人吗?", "机器人出海行动的责任单位是哪个?",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--url", default="")
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds each user waits after an answer (0: a closed-loop stress test)")
    args = ap.parse_args()

    server = None
    url = args.url
    if not url:  # the app in its own process, as in production
        import os
        import subprocess
        import sys
        import urllib.request

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, POLICY_DB=str(Path(tempfile.mkdtemp()) / "load.sqlite3"), OMP_NUM_THREADS="1")
        server = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            server.terminate()
            raise SystemExit("the app did not start")
    host = urlparse(url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load tests only target loopback addresses")

    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def user(n: int) -> None:
        client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
        i = n
        while time.monotonic() < deadline:
            # A different figure each time, so no answer or embedding cache can serve it.
            q = QUESTIONS[i % len(QUESTIONS)].replace("?", f"(编号{n}-{i})?")
            i += 1
            t = time.perf_counter()
            try:
                out = client.predict(q, f"load-{n}", api_name="/ask")
                ok = "error" not in out
            except Exception as exc:  # noqa: BLE001 - counted, not raised
                ok, out = False, {"error": repr(exc)}
            dt = time.perf_counter() - t
            with lock:
                latencies.append(dt)
                if not ok:
                    errors.append(str(out.get("error")))
            if args.think:
                time.sleep(args.think)

    def cpu_seconds(pid: int) -> float:
        """User+system CPU time of a process (Linux /proc), to tell server cost from client cost."""
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    import os

    server_cpu0 = cpu_seconds(server.pid) if server else 0.0
    client_cpu0 = time.process_time()
    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    client_cpu = time.process_time() - client_cpu0
    server_cpu = (cpu_seconds(server.pid) - server_cpu0) if server else None
    lat = sorted(latencies)
    p95 = lat[int(0.95 * (len(lat) - 1))] if lat else 0.0
    print(json.dumps({
        "users": args.users, "think_s": args.think, "seconds": round(elapsed, 1), "requests": len(lat),
        "requests_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(statistics.median(lat) * 1000, 1) if lat else None,
        "p95_ms": round(p95 * 1000, 1), "errors": len(errors), "error_samples": errors[:3],
        "server_cpu_ms_per_request": round(server_cpu * 1000 / len(lat), 1) if server_cpu and lat else None,
        "load_generator_cpu_ms_per_request": round(client_cpu * 1000 / len(lat), 1) if lat else None,
        "cores": os.cpu_count(),
        "target": "0 errors, p95 <= 1000 ms"}, ensure_ascii=False, indent=2))
    if server is not None:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
