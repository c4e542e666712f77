"""Score a "real documents" round: real policy texts added with `add`, then questions about them.

    python scripts/eval_real.py --set R1 [--project DIR] [--round DIR] [--json] [--keep]

1. Copies DIR/corpus (DIR defaults to the working directory) into a temporary directory and points
   the settings at it (`POLICY_CORPUS_DIR`, `POLICY_INDEX_DIR`, `POLICY_DB`, all temporary), so
   the project's own corpus, index and answer log are never touched.
2. Adds every document of the set (`sources.tsv`, column `set`) with the project's own CLI:
   `DIR/.venv/bin/python -m assistant add FILE`, or, when DIR has no venv, this project's venv
   python with cwd=DIR (the `assistant` package it imports is checked to be DIR's). Records which
   documents `add` accepted (exit 0) and which it rejected (with its message), then maps each stem
   to the doc_id it got (`docs --json`, by `source` file name; else the `added <doc_id>:` line).
3. Asks every question of `<set>-questions.jsonl` in-process through DIR's `Assistant`
   (`sys.path.insert(0, DIR)`; `assistant.answer.chain.make_assistant`, or `assistant.chain`'s in older checkouts) and scores:

   * in scope, one cited doc: right when the FIRST citation's doc_id is that doc's and its label
     matches one of the labels. Labels compare as paths of numbered items after normalising spaces,
     brackets ((一)/(一)) and the mark after a number (`1.`/`1、`); equal, or one a path prefix of
     the other (`二、` for `二、(一)` and the reverse); `0` is article 0. A citation's labels are its
     `article_label` and the parsed article's own `label` (looked up in the assistant's corpus, as
     `article_label` is the article's `ref`, which reads `1、` as `第1条`); `第N条` and `N、` with the
     same number are the same item (the package reads them so). With neither, the article number
     is compared with a `第N条`/`N、`/`一、` label's number.
     Diagnostics: "right document" (first doc right, label wrong) and "right passage, wrong title"
     (right doc and label, `doc_title` differs from the sources.tsv title, compared after
     normalising spaces, brackets, quotes and dashes; annotations in the title cell are dropped).
   * comparison (two cited docs): right when both docs appear among the first 3 citations.
   * amount: right when the in-scope criterion holds AND the `expect` figure is in the answer text
     or the first citation's quote (after NFKC, spaces removed, dash variants unified).
   * out_of_scope: right when `found` is false; a found answer with non-empty `gaps` is counted too.

Prints a summary (documents accepted, questions right by kind, near misses refused, right-document
and wrong-title counts, failing ids); `--json` prints everything as one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

MAIN_PYTHON = Path("/work/main/.venv/bin/python")
DEFAULT_ROUND = Path("/work/rounds/real")
ADD_TIMEOUT = 3600


# --- labels ---------------------------------------------------------------------------------------
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千"


def cn_number(s: str) -> int | None:
    """`十二` → 12, `一百零三` → 103, `12` → 12."""
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _t2s() -> dict[int, str]:
    """Traditional → simplified characters (assistant/data/t2s.tsv beside this script), so that a
    label or figure written as a traditional-character page writes it (第一條, 500萬元) compares
    with the same one read in simplified characters."""
    path = Path(__file__).resolve().parent.parent / "assistant" / "data" / "t2s.tsv"
    if not path.exists():
        return {}
    rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#")]
    return {ord(r[0]): r[1] for r in rows if len(r) >= 2 and len(r[0]) == 1}


T2S = _t2s()


def norm_text(s: str) -> str:
    """NFKC (full-width brackets, digits, ％), simplified characters, no spaces, one kind of dash
    and quote."""
    s = unicodedata.normalize("NFKC", s or "").translate(T2S)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[—–－~〜～‐‑‒―]+", "-", s)
    s = re.sub(r"[“”„‟「」『』\"]", '"', s)
    s = re.sub(r"[‘’']", "'", s)
    s = s.replace("〔", "[").replace("〕", "]").replace("【", "[").replace("】", "]")
    return s


_TOKENS = [
    (re.compile(rf"第([{_CN}\d]+)条"), "item"),
    (re.compile(rf"第([{_CN}\d]+)章"), "chapter"),
    (re.compile(rf"第([{_CN}\d]+)节"), "section"),
    (re.compile(rf"([{_CN}]+)[、.．]"), "cn"),
    (re.compile(rf"\(([{_CN}]+)\)"), "pcn"),
    (re.compile(r"\((\d+)\)"), "pnum"),
    (re.compile(r"(\d+)[、.．]?"), "item"),
    (re.compile(r"附件(\d*)"), "annex"),
    (re.compile(r"PART(\d+)", re.I), "part"),
]


def label_path(label: str) -> tuple | None:
    """A label as a path of (kind, number) items; `0` (or 公告与前言) is ('pre',); None when empty.
    `第N条` and `N、`/`N.` are one kind ("item"): the package reads `N、` as 第N条."""
    s = norm_text(label)
    if not s:
        return None
    if s in ("0", "公告与前言"):
        return (("pre", 0),)
    out, i = [], 0
    while i < len(s):
        for rx, kind in _TOKENS:
            m = rx.match(s, i)
            if m and m.end() > i:
                num = cn_number(m.group(1)) if m.group(1) else 0
                out.append((kind, num if num is not None else m.group(1)))
                i = m.end()
                break
        else:
            out.append(("raw", s[i:]))
            break
    return tuple(out)


def labels_match(got: tuple | None, expected: tuple | None) -> bool:
    if not got or not expected:
        return False
    n = min(len(got), len(expected))
    return got[:n] == expected[:n]


def citation_labels(cit: dict, corpus: Any) -> list[tuple]:
    """Every label path a citation can be read as: article 0, its `article_label`, the parsed
    article's own label."""
    if cit.get("article") == 0:
        return [(("pre", 0),)]
    paths = []
    parsed = None
    if corpus is not None:
        try:
            parsed = corpus.article(cit.get("doc_id"), cit.get("article"))
        except Exception:  # noqa: BLE001 - another version's corpus API
            parsed = None
    for label in (getattr(parsed, "label", "") or "", cit.get("article_label") or ""):
        p = label_path(label)
        if p and p not in paths:
            paths.append(p)
    return paths


def lacks_parent(cit: dict, doc_id: str | None, expected_labels: list[str], corpus: Any) -> bool:
    """The citation is of `doc_id` and names the expected item without its parent path (`(一)` for
    `一、(一)`): a diagnostic, counted wrong."""
    if doc_id is None or cit.get("doc_id") != doc_id:
        return False
    got = citation_labels(cit, corpus)
    expected = [label_path(lb) for lb in expected_labels]
    return any(g and e and len(g) < len(e) and e[-len(g):] == g for g in got for e in expected)


def citation_right(cit: dict, doc_id: str | None, expected_labels: list[str], corpus: Any) -> bool:
    """The citation is of `doc_id` and one of its labels matches one of `expected_labels`."""
    if doc_id is None or cit.get("doc_id") != doc_id:
        return False
    expected = [label_path(lb) for lb in expected_labels]
    got = citation_labels(cit, corpus)
    if got:
        return any(labels_match(g, e) for g in got for e in expected)
    # no label at all: the article number against a 第N条 / N、 / 一、 label's number
    number = cit.get("article")
    return any(e and len(e) == 1 and e[0][0] in ("item", "cn") and e[0][1] == number for e in expected)


# --- the round's files ----------------------------------------------------------------------------
def clean_title(cell: str) -> str:
    """The title in a sources.tsv cell without the helper's annotations."""
    t = cell.strip()
    m = re.match(r"^\(title not in stored text;.*?:\s*(.+?)\)\s*$", t)
    if m:
        return m.group(1).strip()
    return re.sub(r"\s+\((repost headline|as |per ).*\)\s*$", "", t).strip()


def read_sources(round_dir: Path, set_name: str) -> list[dict]:
    with open(round_dir / "sources.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = []
    for r in rows:
        if r["set"].strip().upper() != set_name.upper():
            continue
        path = round_dir / "docs" / f"{r['stem']}.{r['format']}"
        out.append({"stem": r["stem"], "format": r["format"], "file": str(path),
                    "title_expected": clean_title(r["title"]), "title_cell": r["title"]})
    return out


def read_questions(round_dir: Path, set_name: str) -> list[dict]:
    path = round_dir / f"{set_name.lower()}-questions.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- running the project --------------------------------------------------------------------------
def project_python(project: Path) -> Path:
    own = project / ".venv" / "bin" / "python"
    return own if own.exists() else MAIN_PYTHON


def settings_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("POLICY_") and k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    env.update({"POLICY_CORPUS_DIR": str(tmp / "corpus"), "POLICY_INDEX_DIR": str(tmp / "index"),
                "POLICY_DB": str(tmp / "var" / "feedback.sqlite3")})
    return env


def run_cli(python: Path, project: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "assistant", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=ADD_TIMEOUT)


def cli_package(python: Path, project: Path, env: dict) -> str:
    """Where `python -m assistant` run in `project` imports the package from (cwd first on the path,
    as with -m)."""
    probe = subprocess.run([str(python), "-c", "import assistant; print(assistant.__file__)"],
                           cwd=project, env=env, capture_output=True, text=True, timeout=120)
    return probe.stdout.strip() or probe.stderr.strip()


def last_line(text: str) -> str:
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def add_documents(python: Path, project: Path, env: dict, sources: list[dict], log) -> None:
    for d in sources:
        t0 = time.time()
        try:
            proc = run_cli(python, project, env, "add", d["file"])
            rc, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired:
            rc, out, err = -1, "", f"timed out after {ADD_TIMEOUT} s"
        d.update(rc=rc, accepted=rc == 0, seconds=round(time.time() - t0, 1),
                 message=last_line(err) if rc else "",
                 add_output=[ln for ln in out.splitlines() if ln.strip()][:4])
        m = re.search(r"^(?:added|updated) (\S+?):", out, re.M)
        d["doc_id_from_add"] = m.group(1) if m else None
        d["replaced_existing"] = bool(re.search(r"^updated ", out, re.M))
        log(f"add {d['stem']}: {'ok' if rc == 0 else 'REJECTED'} ({d['seconds']} s)"
            + (f" {d['message']}" if rc else ""))


def map_doc_ids(python: Path, project: Path, env: dict, sources: list[dict]) -> list[dict]:
    proc = run_cli(python, project, env, "docs", "--json")
    library = []
    for line in proc.stdout.splitlines():
        try:
            library.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    by_source = {Path(str(e.get("source", ""))).name: e for e in library if e.get("source")}
    by_id = {e.get("doc_id"): e for e in library}
    for d in sources:
        entry = by_source.get(Path(d["file"]).name) if d.get("accepted") else None
        if entry is None and d.get("doc_id_from_add"):
            entry = by_id.get(d["doc_id_from_add"])
        d["doc_id"] = entry.get("doc_id") if entry else (d.get("doc_id_from_add") if d.get("accepted") else None)
        d["title_got"] = entry.get("title") if entry else None
        d["articles"] = entry.get("articles") if entry else None
        d["status_got"] = entry.get("status") if entry else None
        d["title_ok"] = (norm_text(d["title_got"]) == norm_text(d["title_expected"])) if entry else None
    return library


# --- scoring --------------------------------------------------------------------------------------
def compact(cit: dict) -> dict:
    return {k: cit.get(k) for k in ("doc_id", "doc_title", "article", "article_label", "title")} | {
        "quote": (cit.get("quote") or "")[:160]}


def figure_present(expect: str, answer: dict) -> bool:
    want = norm_text(expect)
    cits = answer.get("citations") or []
    hay = norm_text(answer.get("answer") or "") + "\n" + norm_text(cits[0].get("quote") or "" if cits else "")
    return bool(want) and want in hay


def score(q: dict, answer: dict | None, error: str | None, stem_ids: dict, titles: dict,
          corpus: Any) -> dict:
    kind = q["kind"]
    cites = q.get("cites") or []
    row: dict[str, Any] = {"id": q["id"], "kind": kind, "question": q["question"],
                           "expected": [{"doc": c["doc"], "doc_id": stem_ids.get(c["doc"]),
                                         "labels": c["labels"]} for c in cites]}
    if "expect" in q:
        row["expect"] = q["expect"]
    if answer is None:
        row.update(right=False, error=error, found=None, first="error", citations=[])
        return row
    cits = answer.get("citations") or []
    row.update(found=bool(answer.get("found")), gaps=answer.get("gaps") or [],
               citations=[compact(c) for c in cits[:3]],
               answer=answer.get("answer") or "")
    if kind == "out_of_scope":
        row["right"] = not row["found"]
        row["found_with_gaps"] = row["found"] and bool(row["gaps"])
        row["first"] = "refused" if not row["found"] else "answered"
        return row
    # in scope
    first = cits[0] if cits else None
    if not row["found"] or first is None:
        verdict = "refused"
    else:
        verdict = "wrong_doc"
        for c in cites:
            did = stem_ids.get(c["doc"])
            if first.get("doc_id") == did and did is not None:
                verdict = "right" if citation_right(first, did, c["labels"], corpus) else "right_doc"
                if verdict == "right":
                    break
    row["first"] = verdict
    if verdict == "right_doc":
        row["label_lacks_parent"] = any(lacks_parent(first, stem_ids.get(c["doc"]), c["labels"], corpus)
                                        for c in cites)
    if verdict == "right":
        doc = next(c["doc"] for c in cites if stem_ids.get(c["doc"]) == first.get("doc_id"))
        row["title_ok"] = norm_text(first.get("doc_title", "")) == norm_text(titles.get(doc, ""))
    if len(cites) >= 2:
        top3 = {c.get("doc_id") for c in cits[:3]}
        want = [stem_ids.get(c["doc"]) for c in cites]
        row["comparison"] = True
        row["docs_in_top3"] = [w in top3 and w is not None for w in want]
        in_scope_right = row["found"] and all(row["docs_in_top3"])
        row["labels_in_top3"] = [any(citation_right(x, stem_ids.get(c["doc"]), c["labels"], corpus)
                                     for x in cits[:3]) for c in cites]
    else:
        in_scope_right = verdict == "right"
    if kind == "amount":
        row["figure_present"] = figure_present(q.get("expect", ""), answer)
        row["right"] = bool(in_scope_right and row["figure_present"])
    else:
        row["right"] = bool(in_scope_right)
    return row


def summarise(sources: list[dict], rows: list[dict]) -> dict:
    def tally(rs):
        return [sum(1 for r in rs if r["right"]), len(rs)]

    oos = [r for r in rows if r["kind"] == "out_of_scope"]
    in_scope = [r for r in rows if r["kind"] != "out_of_scope"]
    single = [r for r in in_scope if not r.get("comparison")]
    comps = [r for r in in_scope if r.get("comparison")]
    amounts = [r for r in rows if r["kind"] == "amount"]
    return {
        "documents_accepted": [sum(1 for d in sources if d.get("accepted")), len(sources)],
        "rejections": [{"stem": d["stem"], "message": d["message"]} for d in sources if not d.get("accepted")],
        "document_titles_wrong": [{"stem": d["stem"], "got": d.get("title_got"), "expected": d["title_expected"]}
                                  for d in sources if d.get("accepted") and d.get("title_ok") is False],
        "questions_right": tally(rows),
        "by_kind": {k: tally([r for r in rows if r["kind"] == k]) for k in ("lookup", "amount", "out_of_scope")},
        "single_doc_in_scope": tally(single),
        "comparisons": tally(comps),
        "near_misses_refused": [sum(1 for r in oos if r.get("found") is False), len(oos)],
        "near_misses_found_with_gaps": sum(1 for r in oos if r.get("found_with_gaps")),
        "in_scope_refused": [sum(1 for r in in_scope if r.get("found") is False), len(in_scope)],
        "first_citation_right": [sum(1 for r in single if r["first"] == "right"), len(single)],
        "right_document_wrong_label": sum(1 for r in single if r["first"] == "right_doc"),
        "right_document_label_lacks_parent": sum(1 for r in single if r.get("label_lacks_parent")),
        "wrong_document": sum(1 for r in single if r["first"] == "wrong_doc"),
        "right_passage_wrong_title": sum(1 for r in single if r["first"] == "right" and r.get("title_ok") is False),
        "amount_figure_present": [sum(1 for r in amounts if r.get("figure_present")), len(amounts)],
        "errors": sum(1 for r in rows if r.get("error")),
        "failing": [r["id"] for r in rows if not r["right"]],
    }


# --- main -----------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", required=True, help="R1, R2, … (column `set` of sources.tsv)")
    ap.add_argument("--project", default=None, help="the checkout to test (default: the cwd)")
    ap.add_argument("--round", dest="round_dir", default=str(DEFAULT_ROUND))
    ap.add_argument("--json", action="store_true", help="print everything as one JSON object")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus and index")
    args = ap.parse_args(argv)

    project = Path(args.project or os.getcwd()).resolve()
    round_dir = Path(args.round_dir).resolve()
    python = project_python(project)
    log = (lambda msg: print(msg, file=sys.stderr, flush=True))
    t_start = time.time()

    sources = read_sources(round_dir, args.set)
    questions = read_questions(round_dir, args.set)
    titles = {d["stem"]: d["title_expected"] for d in sources}

    tmp = Path(tempfile.mkdtemp(prefix="eval-real-"))
    try:
        shutil.copytree(project / "corpus", tmp / "corpus")
        (tmp / "var").mkdir()
        env = settings_env(tmp)
        cli_pkg = cli_package(python, project, env)
        if not cli_pkg.startswith(str(project / "assistant")):
            raise SystemExit(f"`{python} -m assistant` in {project} imports {cli_pkg}, not {project}/assistant")
        log(f"project {project}; python {python}; package {cli_pkg}; temp {tmp}")

        add_documents(python, project, env, sources, log)
        library = map_doc_ids(python, project, env, sources)
        stem_ids = {d["stem"]: d.get("doc_id") for d in sources}

        # in-process: the project's own package with the temporary settings
        for key in [k for k in os.environ if k.startswith("POLICY_")]:
            del os.environ[key]
        os.environ.update({k: v for k, v in env.items() if k.startswith("POLICY_")})
        sys.path.insert(0, str(project))
        import assistant  # noqa: PLC0415

        inproc_pkg = str(Path(assistant.__file__).resolve())
        if not inproc_pkg.startswith(str(project / "assistant")):
            raise SystemExit(f"in-process import found {inproc_pkg}, not {project}/assistant")
        try:  # the stage packages (issue 20); older checkouts keep assistant/chain.py
            from assistant.answer.chain import make_assistant  # noqa: PLC0415
        except ModuleNotFoundError:
            from assistant.chain import make_assistant  # noqa: PLC0415

        bot = make_assistant()
        corpus = None
        try:
            corpus = bot.index.corpus
        except Exception as exc:  # noqa: BLE001
            log(f"no corpus for label look-ups: {exc}")

        rows = []
        t_q = time.time()
        for i, q in enumerate(questions, 1):
            answer, error = None, None
            try:
                answer = bot.ask(q["question"]).to_dict()
            except Exception as exc:  # noqa: BLE001 - recorded as a wrong answer
                error = f"{type(exc).__name__}: {exc}"
            try:
                rows.append(score(q, answer, error, stem_ids, titles, corpus))
            except Exception as exc:  # noqa: BLE001 - a scorer bug must not lose the run
                rows.append({"id": q["id"], "kind": q["kind"], "right": False, "first": "error",
                             "error": f"scoring: {type(exc).__name__}: {exc}", "raw_answer": answer})
            if i % 20 == 0:
                log(f"asked {i}/{len(questions)}")
        q_seconds = round(time.time() - t_q, 1)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    summary = summarise(sources, rows)
    commit = subprocess.run(["git", "-C", str(project), "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    result = {"set": args.set, "project": str(project), "commit": commit, "python": str(python),
              "package_cli": cli_pkg, "package_in_process": inproc_pkg,
              "temp_dir": str(tmp) + ("" if args.keep else " (removed)"),
              "seconds": round(time.time() - t_start, 1), "question_seconds": q_seconds,
              "summary": summary,
              "documents": [{k: d.get(k) for k in ("stem", "format", "accepted", "rc", "message", "doc_id",
                                                   "replaced_existing", "title_got", "title_expected",
                                                   "title_ok", "status_got", "articles", "seconds",
                                                   "add_output")} for d in sources],
              "library": [{k: e.get(k) for k in ("doc_id", "title", "status", "articles", "source")}
                          for e in library],
              "questions": rows}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0

    print_summary(result)
    return 0


def print_summary(result: dict) -> None:
    s = result["summary"]
    print(f"set {result['set']} on {result['project']} ({result['commit'][:7]}), {result['seconds']} s")
    print(f"documents accepted {s['documents_accepted'][0]}/{s['documents_accepted'][1]}")
    for r in s["rejections"]:
        print(f"  rejected {r['stem']}: {r['message']}")
    for r in s["document_titles_wrong"]:
        print(f"  title {r['stem']}: got 《{r['got']}》, sources.tsv 《{r['expected']}》")
    print(f"questions right {s['questions_right'][0]}/{s['questions_right'][1]}: "
          + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in s["by_kind"].items())
          + f"; comparisons {s['comparisons'][0]}/{s['comparisons'][1]}")
    print(f"near misses refused {s['near_misses_refused'][0]}/{s['near_misses_refused'][1]} "
          f"(+{s['near_misses_found_with_gaps']} found with gaps); in-scope refused "
          f"{s['in_scope_refused'][0]}/{s['in_scope_refused'][1]}")
    print(f"single-document first citation right {s['first_citation_right'][0]}/{s['first_citation_right'][1]}; "
          f"right document, wrong label {s['right_document_wrong_label']} "
          f"({s['right_document_label_lacks_parent']} only lacking the parent, `(一)` for `一、(一)`); wrong document {s['wrong_document']}; "
          f"right passage, wrong title {s['right_passage_wrong_title']}; amount figure present "
          f"{s['amount_figure_present'][0]}/{s['amount_figure_present'][1]}; errors {s['errors']}")
    print("failing: " + " ".join(s["failing"]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
