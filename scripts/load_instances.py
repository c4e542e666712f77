"""Two instances through nginx (`make load`, third part; not a test): the deployment of
`make deploy-local` (PostgreSQL, a Chroma server, two instances, nginx), N clients on the JSON API.

    python scripts/load_instances.py [--users 20] [--seconds 60] [--kill-seconds 20]

1. One instance alone on SQLite (as `make load`), the reference of the same run.
2. The same load through nginx to two instances sharing PostgreSQL: requests/s, p50/p95, errors,
   CPU per request of the two app processes (and of PostgreSQL and nginx beside them).
3. Under the same load, one instance is killed with SIGKILL: every acknowledged answer and rating
   must be in PostgreSQL; reported: requests that failed (in flight at the kill), and the longest
   gap between two successful answers after the kill.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "scripts"))

from load import cpu_seconds, run as run_one  # noqa: E402
from local import Deployment  # noqa: E402
from soak import QUESTIONS  # noqa: E402


def post(url: str, payload: dict, timeout: float = 60) -> dict:
    req = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def group_cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except (OSError, IndexError):
            pass
    return total


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(entry.name))
    return out


def load(base: str, users: int, seconds: float, on_answer=None, kill_at: float | None = None,  # noqa: ANN001
         kill=None) -> dict:  # noqa: ANN001
    latencies: list[float] = []
    successes: list[float] = []
    errors = 0
    lock = threading.Lock()
    started = time.perf_counter()
    stop = started + seconds
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
                out = post(base + "api/ask", {"question": q, "session_id": uuid.uuid4().hex})
                if "answer" not in out:
                    raise RuntimeError(str(out)[:200])
                if on_answer is not None:
                    on_answer(base, out, n)
                with lock:
                    latencies.append(time.perf_counter() - t)
                    successes.append(time.perf_counter())
            except (OSError, RuntimeError, ValueError):
                with lock:
                    errors += 1

    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    killed = None
    if kill_at is not None:
        time.sleep(kill_at)
        killed = time.perf_counter()
        kill()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    lat = sorted(latencies)
    n = len(lat)
    result = {"users": users, "seconds": round(elapsed, 1), "requests": n, "errors": errors,
              "requests_per_s": round(n / elapsed, 1),
              "p50_ms": round(statistics.median(lat) * 1000) if lat else None,
              "p95_ms": round(lat[min(n - 1, int(0.95 * (n - 1)))] * 1000) if lat else None}
    if killed is not None:
        after = sorted(s for s in successes if s >= killed)
        gaps = [b - a for a, b in zip([killed] + after, after)]
        result["longest_gap_after_kill_ms"] = round(max(gaps) * 1000) if gaps else None
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--kill-seconds", type=float, default=20)
    args = ap.parse_args()
    report: dict = {"one_instance_sqlite": run_one("json", args.users, args.seconds, 0.0)}
    with Deployment(listen=f"127.0.0.1:{_free()}", rate_per_minute=1_000_000, remove_state=True) as dep:
        apps = [dep.procs["instance-a"].pid, dep.procs["instance-b"].pid]
        pg_pid = int((dep.pg.data / "postmaster.pid").read_text().split()[0])
        nginx = [dep.procs["nginx"].pid] + children(dep.procs["nginx"].pid)
        for q in QUESTIONS[:3]:  # warm both up
            for name in "ab":
                post(dep.instance_url(name) + "api/ask", {"question": q.format(n=100, m=3)})
        pg = [pg_pid] + children(pg_pid)
        cpu0 = (group_cpu(apps), group_cpu(pg), group_cpu(nginx))
        two = load(dep.url, args.users, args.seconds)
        pg = [pg_pid] + children(pg_pid)
        cpu1 = (group_cpu(apps), group_cpu(pg), group_cpu(nginx))
        n = max(1, two["requests"])
        two["app_cpu_ms_per_request"] = round((cpu1[0] - cpu0[0]) / n * 1000, 1)
        two["postgres_cpu_ms_per_request"] = round((cpu1[1] - cpu0[1]) / n * 1000, 1)
        two["nginx_cpu_ms_per_request"] = round((cpu1[2] - cpu0[2]) / n * 1000, 1)
        report["two_instances_nginx_postgres"] = two

        acknowledged: list[int] = []
        rated: list[int] = []
        lock = threading.Lock()

        def rate(base: str, out: dict, i: int) -> None:
            with lock:
                acknowledged.append(out["answer_id"])
            if i % 2 == 0:
                back = post(base + "api/rate", {"answer_id": out["answer_id"], "token": out["answer_token"],
                                                "liked": True})
                if back.get("ok"):
                    with lock:
                        rated.append(out["answer_id"])

        kill = load(dep.url, args.users, args.kill_seconds, rate, kill_at=args.kill_seconds / 3,
                    kill=lambda: os.kill(dep.procs["instance-a"].pid, signal.SIGKILL))
        from assistant.ops.feedback import FeedbackStore

        store = FeedbackStore(dep.env["POLICY_DATABASE_URL"])
        stored = {r["id"] for r in store.rows()}
        kill.update(acknowledged_answers=len(acknowledged), acknowledged_ratings=len(rated),
                    answers_lost=len(set(acknowledged) - stored),
                    ratings_lost=sum(1 for a in rated if not store.feedback_for(a)))
        report["kill_one_instance"] = kill
    one = report["one_instance_sqlite"]["server_cpu_ms_per_request"]
    report["app_cpu_ratio_two_vs_one"] = round(two["app_cpu_ms_per_request"] / one, 2) if one else None
    print(json.dumps(report, ensure_ascii=False, indent=2))


def _free() -> int:
    from assistant.ops.pgcluster import free_port

    return free_port()


if __name__ == "__main__":
    main()
