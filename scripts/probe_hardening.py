"""The probe's second round (issue 19): the classes an outside probe found beyond the first one.

Called by `scripts/probe.py` (not run on its own). Every function records its cases in the probe's
Recorder, so the same checks apply (no 5xx, no traceback, a message on every error, security
headers, CLI exit codes 0 or 2), plus its own expectations:

* headers and cookies: a quoted cookie of backslashes, oversized cookies and headers — answered
  within a second, never by a cookie parser's quadratic time;
* every Gradio route by name (public, private, unknown) and every other Gradio POST;
* other origins get no CORS grant;
* a staff server (login): logout by GET does nothing, forged logouts are not remembered (memory),
  X-Forwarded-For does not choose the rate-limit or lockout bucket, fresh addresses still lock the
  user out, private endpoints stay private;
* document HTML in a real browser (when Chromium is installed): a title carrying
  `<img src="/logout">` and an article carrying a password form render as text;
* files: zip and PDF bombs, FIFOs, symlinks to devices, oversized text, UTF-16, 1,000 articles,
  an upload named like an existing document, bad `supersedes`, --meta consultation and 施行;
* a damaged (empty) vectors.npy: `ask` and `index --if-stale` still work;
* uploads under load (in process): the upload returns at once, questions keep being answered;
* disk and ratings: a flood of ratings on one answer is capped.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import statistics
import subprocess
import threading
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import httpx

EVIL_TITLE_TAG = '<img id="pa-evil-title" src="/logout">'
EVIL_ARTICLE = ('<form id="pa-evil-form" action="/x"><input type="password" name="p"></form>'
                '[请点此登录](http://evil.example/pa-evil-link)')
STAFF = ("staff", "probe-secret-19")
PRIVATE_NAMES = ("submit", "chat", "upload", "lambda", "on_like", "rate_last", "document_markdown", "show")


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def timed_request(web: Any, channel: str, name: str, method: str, path: str, limit_s: float = 1.0,
                  **kwargs: Any) -> tuple[int, float]:
    t = time.perf_counter()
    status, _, _ = web.request(channel, name, method, path, **kwargs)
    took = time.perf_counter() - t
    if took > limit_s:
        web.rec.cases[-1]["failures"].append("slow")
        web.rec.cases[-1]["notes"].append(f"{took:.2f} s > {limit_s} s")
    return status, took


# ------------------------------------------------------------------------------------------------
def header_probes(web: Any) -> dict[str, Any]:
    """Cookies and headers that made the server spend seconds (CVE-2024-7592) or memory."""
    out: dict[str, Any] = {}
    cases = {
        "cookie-100k-backslashes": {"cookie": 'a="' + "\\" * 100_000 + '"'},
        "cookie-8k-backslashes": {"cookie": 'a="' + "\\" * 8_000 + '"'},
        "cookie-4k-backslashes": {"cookie": 'a="' + "\\" * 4_000 + '"; theme=dark'},
        "cookie-1000-pairs": {"cookie": "; ".join(f"c{i}=v" for i in range(1000))},
        "cookie-quoted-octal": {"cookie": 'a="' + "\\101" * 1500 + '"'},
        "header-1mb": {"x-pad": "y" * 1_000_000},
        "header-64k": {"x-pad": "y" * 65_536},
        "headers-200": {f"x-h{i}": "v" * 100 for i in range(200)},
    }
    for name, headers in cases.items():
        try:
            status, took = timed_request(web, "headers", name, "GET", "/api/health", headers=headers)
        except httpx.HTTPError as exc:  # a server that closes the connection on a 1 MB header is fine
            web.rec.add("headers", name, headers, f"{type(exc).__name__}", [], "closed")
            status, took = 0, 0.0
        out[name] = {"status": status, "s": round(took, 3)}
    return out


def gradio_route_probes(web: Any, public: dict[str, int]) -> dict[str, Any]:
    """Every Gradio route that calls by name, with every public, private and unknown name."""
    statuses: dict[str, int] = {}
    names = list(public) + list(PRIVATE_NAMES) + ["nope", "..%2f..%2fetc", "a" * 300]
    for prefix in ("api", "run", "call", "call/v2"):
        for name in names:
            for label, body in (("no-inputs", {"data": []}), ("three-inputs", {"data": ["第3条是什么?", "", ""]}),
                                ("not-a-list", {"data": "x"})):
                if label == "three-inputs" and name in public and prefix in ("api", "run"):
                    continue  # a real computation: the first probe covers the public endpoints
                status, _, _ = web.request(f"gradio-route/{prefix}", f"{name[:40]} {label}", "POST",
                                           f"/gradio_api/{prefix}/{name}", body, json_body=body)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if name not in public and status not in (404,):
                    web.rec.cases[-1]["failures"].append("private_endpoint_callable")
    for path in ("/gradio_api/process_recording", "/gradio_api/stream/x", "/gradio_api/stream/x/close",
                 "/gradio_api/component_server", "/gradio_api/queue/join", "/gradio_api/cancel",
                 "/gradio_api/reset", "/gradio_api/vibe-edit", "/gradio_api/upload"):
        status, _, _ = web.request("gradio-route/other", path, "POST", path, {}, json_body={})
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return statuses


def origin_probes(web: Any) -> dict[str, Any]:
    """Another local page (another port) must not get a CORS grant for this app's data."""
    grants = 0
    for origin in ("http://127.0.0.1:1", "http://localhost:9", "null"):
        for method, path in (("GET", "/gradio_api/info"), ("GET", "/api/docs"), ("OPTIONS", "/gradio_api/info")):
            headers = {"origin": origin, "access-control-request-method": "GET"}
            r = web.send(method, web.url + path, headers=headers)
            failures = ["http_5xx"] if r.status_code >= 500 else []
            if r.headers.get("access-control-allow-origin"):
                grants += 1
                failures.append("cors_grant")
            web.rec.add("origin", f"{method} {path} from {origin}", headers, r.headers.get("access-control-allow-origin"),
                        failures, r.status_code)
    return {"grants": grants}


# ------------------------------------------------------------------------------------------------
def evil_corpus(corpus: Path) -> None:
    """The seed document with HTML in its title and in 第11条 (as a hostile upload would carry)."""
    meta_file = next(corpus.glob("*.meta.json"))
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["title"] = meta["title"] + EVIL_TITLE_TAG
    meta_file.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    text_file = meta_file.with_name(meta_file.name.replace(".meta.json", ".txt"))
    text = text_file.read_text(encoding="utf-8").replace("带动手术机器人", EVIL_ARTICLE + "带动手术机器人", 1)
    text_file.write_text(text, encoding="utf-8")


def login(url: str, client: httpx.Client, password: str = STAFF[1]) -> int:
    r = client.post(url + "/login", data={"username": STAFF[0], "password": password})
    return r.status_code


def staff_probes(web: Any, pid: int) -> dict[str, Any]:
    """On the staff server (login, default rate limit)."""
    url, rec = web.url, web.rec
    out: dict[str, Any] = {}
    with httpx.Client(timeout=60) as staff:
        out["login"] = login(url, staff)
        # GET /logout (an <img src="/logout">) logs nobody out
        r = staff.get(url + "/logout")
        still = staff.get(url + "/api/docs").status_code
        rec.add("staff/logout", "GET /logout", "", r.text[:80], [] if r.status_code == 405 and still == 200
                else ["logout_by_get"], r.status_code)
        # forged sessions sent to /logout: not remembered
        before = rss_mb(pid)
        forged_status: dict[int, int] = {}
        with httpx.Client(timeout=30) as anon:
            for i in range(300):
                nonce = f"{i:04d}" + "n" * 4000
                st = anon.post(url + "/logout", headers={"cookie": f"pa_session=staff|1|{nonce}|x"}).status_code
                forged_status[st] = forged_status.get(st, 0) + 1
        after = rss_mb(pid)
        grew = None if before is None or after is None else round(after - before, 1)
        rec.add("staff/logout", "300 forged logouts (4 KB nonce)", "", {"rss_mb": [before, after], "statuses": forged_status},
                ["logout_memory"] if grew is not None and grew > 10 else [], "ok")
        out["forged_logouts"] = {"statuses": {str(k): v for k, v in forged_status.items()}, "rss_growth_mb": grew}
        # private endpoints stay private behind the login too
        for name in ("upload", "submit", "chat"):
            r = staff.post(url + f"/gradio_api/api/{name}",
                           json={"data": [{"path": "/etc/hostname", "meta": {"_type": "gradio.FileData"}}, "", True]})
            rec.add("staff/private", f"/gradio_api/api/{name}", "", r.text[:120],
                    [] if r.status_code == 404 else ["private_endpoint_callable"], r.status_code)
        # a logout by POST ends the session
        staff.post(url + "/logout")
        out["after_logout"] = staff.get(url + "/api/docs").status_code
        rec.add("staff/logout", "POST /logout", "", out["after_logout"],
                [] if out["after_logout"] == 401 else ["logout_failed"], out["after_logout"])
    # wrong passwords from fresh addresses: locked out all the same
    codes: dict[int, int] = {}
    with httpx.Client(timeout=60) as c:
        for i in range(60):
            r = c.post(url + "/login", data={"username": STAFF[0], "password": f"wrong-{i}"},
                       headers={"x-forwarded-for": f"10.99.{i}.1"})
            codes[r.status_code] = codes.get(r.status_code, 0) + 1
            if r.status_code >= 500:
                rec.add("proxy", f"login {i}", "", r.text[:100], ["http_5xx"], r.status_code)
    wrong_answered = codes.get(401, 0)
    rec.add("proxy", "60 wrong passwords, fresh X-Forwarded-For each", "", codes,
            [] if wrong_answered <= 20 else ["no_lockout"], "burst")
    out["wrong_passwords"] = {str(k): v for k, v in codes.items()}
    return out


def forwarded_probe(url: str, rec: Any) -> dict[str, Any]:
    """X-Forwarded-For does not choose the rate-limit bucket (45 questions, a fresh address each,
    on a server with the default limit of 30 a minute)."""
    codes: dict[int, int] = {}
    with httpx.Client(timeout=60) as c:
        for i in range(45):
            st = c.post(url + "/api/ask", json={"question": "第3条是什么?"},
                        headers={"x-forwarded-for": f"10.{i}.0.1"}).status_code
            codes[st] = codes.get(st, 0) + 1
    rec.add("proxy", "45 asks, fresh X-Forwarded-For each", "", codes,
            ([] if codes.get(429) else ["forwarded_for_trusted"]) + (["http_5xx"] if any(k >= 500 for k in codes) else []),
            "burst")
    return {str(k): v for k, v in codes.items()}


def browser_probe(url: str, rec: Any) -> dict[str, Any]:
    """Log in with a real browser, open the app and check the document's HTML is text."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return {"skipped": "chromium/chromedriver not installed"}
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1400"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    result: dict[str, Any] = {}
    try:
        driver.get(url + "/login")
        driver.find_element(By.NAME, "username").send_keys(STAFF[0])
        driver.find_element(By.NAME, "password").send_keys(STAFF[1])
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        time.sleep(1.0)
        driver.get(url + "/")
        WebDriverWait(driver, 90).until(lambda d: "实施意见" in d.find_element(By.CLASS_NAME, "pa-banner").text)
        for tab in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]"):
            if "文件库" in tab.text:
                tab.click()
        WebDriverWait(driver, 30).until(lambda d: "请点此登录" in d.page_source)
        time.sleep(1.0)
        live = driver.execute_script(
            "return [document.querySelectorAll('#pa-evil-title, img[src=\"/logout\"]').length,"
            " document.querySelectorAll('#pa-evil-form, input[type=password]').length,"
            " document.querySelectorAll('a[href*=\"evil.example\"]').length]")
        banner = driver.find_element(By.CLASS_NAME, "pa-banner").text
        driver.get(url + "/gradio_api/info")
        still = "请先登录" not in driver.page_source
        result = {"live_images": live[0], "live_forms": live[1], "live_links": live[2],
                  "title_shown_as_text": EVIL_TITLE_TAG in banner, "still_logged_in": still}
        ok = live == [0, 0, 0] and still and result["title_shown_as_text"]
        rec.add("browser", "document HTML rendered", EVIL_TITLE_TAG, result, [] if ok else ["document_html_live"], "ok")
    except Exception as exc:  # noqa: BLE001 - a failing browser run is a finding, not a crash
        result = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        rec.add("browser", "document HTML rendered", EVIL_TITLE_TAG, result, ["browser_error"], "error")
    finally:
        driver.quit()
    return result


# ------------------------------------------------------------------------------------------------
def docx_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + " " * (300 * 2**20) + "</w:document>")
    return buf.getvalue()


def pdf_bomb() -> bytes:
    inflater = zlib.compressobj(9)
    data = b"".join(inflater.compress(b"0" * 2**20) for _ in range(400)) + inflater.flush()
    return (b"%PDF-1.4\n1 0 obj << /Length " + str(len(data)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + data + b"\nendstream\nendobj\ntrailer << >>\n%%EOF\n")


def file_probes(cli: Any, tmp: Path, seed_txt: Path) -> dict[str, Any]:
    """CLI `add` of hostile files, each with its peak memory (`/usr/bin/time -f %M`)."""
    files = tmp / "files19"
    files.mkdir(parents=True, exist_ok=True)
    (files / "bomb.docx").write_bytes(docx_bomb())
    (files / "bomb.pdf").write_bytes(pdf_bomb())
    os.mkfifo(files / "pipe.txt")
    (files / "zero.txt").symlink_to("/dev/zero")
    with open(files / "huge.txt", "wb") as fh:
        fh.write(("第一条 " + "字" * 1000 + "\n").encode() * 12_000)
    text = "某区促进产业发展的若干措施\n第一条 为了促进产业发展,制定本措施。\n第二条 本措施自发布之日起施行。"
    (files / "utf16.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    (files / "long-measures.txt").write_text(
        "某区促进产业发展的若干措施\n" + "\n".join(f"第{i}条 措施内容{i}。" for i in range(1, 1004)), encoding="utf-8")
    same = files / "same" / seed_txt.name
    same.parent.mkdir()
    shutil.copy(seed_txt, same)
    timed = ["/usr/bin/time", "-f", "peak_kb=%M"] if Path("/usr/bin/time").exists() else []
    expected = [("docx-bomb", [str(files / "bomb.docx")], 2), ("pdf-bomb", [str(files / "bomb.pdf")], 2),
                ("fifo", [str(files / "pipe.txt")], 2), ("symlink-dev-zero", [str(files / "zero.txt")], 2),
                ("text-36mb", [str(files / "huge.txt")], 2),
                ("utf16-bom", [str(files / "utf16.txt"), "--meta", "status=施行",
                               "--meta", "consultation_start=2025-01-02", "--meta", "consultation_end=2025-02-01"], 0),
                ("1003-articles", [str(files / "long-measures.txt")], 0),
                ("supersedes-self", [str(files / "long-measures.txt"), "--meta", "supersedes=long-measures"], 2),
                ("supersedes-unknown", [str(files / "long-measures.txt"), "--meta", "supersedes=nope"], 2),
                ("same-name-as-seed", [str(same)], 0)]
    out: dict[str, Any] = {}
    for name, args, code in expected:
        def check(rc: int, _out: str, err: str, code: int = code, name: str = name) -> list[str]:
            bad = [] if rc == code else ["unexpected_exit"]
            if name == "1003-articles" and "beyond 第999条" not in err:
                bad.append("no_warning")
            return bad
        case = cli.run("cli/add19", name, ["add", *args, "--no-index"], args[0], timeout=60, check=check,
                       wrap=timed)
        peak = next((n.split()[1] for n in case.get("notes", []) if n.startswith("peak ")), None)
        out[name] = {"exit": case["status"], "peak_mb": int(peak) if peak else None}
    docs = subprocess.run(cli.cmd + ["docs", "--json"], env=cli.env, capture_output=True, text=True, timeout=120)
    ids = [json.loads(ln).get("doc_id") for ln in docs.stdout.splitlines() if ln.strip().startswith("{")] \
        if docs.returncode == 0 else []
    out["doc_ids_after"] = ids
    if "hz-robots-2024-draft" not in ids or seed_txt.stem in ids:
        cli.rec.add("cli/add19", "seed keeps its doc_id", "", ids, ["doc_id_changed"], docs.returncode)
    return out


def damaged_vectors_probe(cli: Any, index_dir: Path) -> dict[str, Any]:
    """An empty vectors.npy (a power loss after an un-fsynced replace) is damage, not an abort."""
    (index_dir / "vectors.npy").write_bytes(b"")
    first = cli.run("cli/damaged", "ask with empty vectors.npy", ["ask", "第3条是什么?"], "",
                    check=lambda rc, o, e: [] if rc == 0 and "Aborted" not in e else ["damaged_vectors"])
    (index_dir / "vectors.npy").write_bytes(b"")
    second = cli.run("cli/damaged", "index --if-stale with empty vectors.npy", ["index", "--if-stale"], "",
                     check=lambda rc, o, e: [] if rc == 0 and "Aborted" not in e else ["damaged_vectors"])
    return {"ask_exit": first["status"], "index_exit": second["status"]}


# ------------------------------------------------------------------------------------------------
def upload_under_load(rec: Any, env: dict[str, str], articles: int = 60) -> dict[str, Any]:
    """In process, real embeddings: a staff upload of a long document while other people ask."""
    for k, v in env.items():
        if k.startswith("POLICY_"):
            os.environ[k] = v
    from ui.launch import make_handlers

    h = make_handlers()
    root = Path(env["POLICY_CORPUS_DIR"]).parent
    doc = root / "upload-under-load.txt"
    doc.write_text("某区促进机器人产业发展的若干措施\n" + "\n".join(
        f"第{i}条 支持企业开展第{i}类机器人应用场景建设,按项目投资额给予不超过{i}0万元补助。" for i in range(1, articles + 1)),
        encoding="utf-8")
    h.ask("第3条是什么?")
    t = time.perf_counter()
    message = h.upload(str(doc))
    upload_s = time.perf_counter() - t
    latencies = []
    while h.upload_tab._worker is not None and h.upload_tab._worker.is_alive() and len(latencies) < 400:
        q = f"人形机器人首台套销售额{3000 + len(latencies)}万元补助多少?"
        t0 = time.perf_counter()
        out = h.ask(q)
        latencies.append(time.perf_counter() - t0)
        if "error" in out:
            rec.add("upload-load", "ask during indexing", q, out, ["no_answer"], "error")
        time.sleep(0.2)
    finished = h.wait_for_index(900)
    index_s = time.perf_counter() - t
    answerable = "upload-under-load" in {d.doc_id for d in h.assistant.corpus.documents}
    ok = upload_s < 10 and finished and answerable
    rec.add("upload-load", f"upload {articles} articles", "", {"message": message[:80], "status": h.upload_status()},
            [] if ok else ["upload_blocked"], "ok")
    xs = sorted(latencies)
    return {"articles": articles, "upload_returned_s": round(upload_s, 2), "indexed_s": round(index_s, 1),
            "asks_during": len(xs), "ask_p50_s": round(statistics.median(xs), 3) if xs else None,
            "ask_p95_s": round(xs[int(0.95 * (len(xs) - 1))], 3) if xs else None, "answerable_after": answerable}


def ratings_flood(web: Any) -> dict[str, Any]:
    """Ratings of one answer by its owner: capped per answer (and every POST is rate-limited)."""
    status, payload, _ = web.request("ratings", "ask for flood", "POST", "/api/ask", "",
                                     json_body={"question": "工作专班怎么建立?"})
    if not isinstance(payload, dict) or "answer_id" not in payload:
        return {"error": "no answer"}
    accepted = 0
    for i in range(12):
        st, body, _ = web.request("ratings", f"flood {i}", "POST", "/api/rate", "",
                                  json_body={"answer_id": payload["answer_id"], "token": payload["answer_token"],
                                             "liked": bool(i % 2), "comment": "评" * 2000})
        accepted += st == 200
    if accepted > 5:
        web.rec.add("ratings", "flood cap", "", accepted, ["ratings_unbounded"], "ok")
    return {"sent": 12, "accepted": accepted}


def worst_request_latency(url: str, clients: int = 8, samples: int = 30) -> dict[str, Any]:
    """Find the probe's worst request (alone), repeat it from `clients` clients, and time a normal
    question meanwhile (p50/p95/max)."""
    import random

    def random_text(n: int, seed: int) -> str:
        rng = random.Random(seed)
        return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))

    candidates = {
        "ask-random-2000": lambda j: ("/api/ask", {"question": random_text(2000, j)}),
        "ask-repeated-1990": lambda j: ("/api/ask", {"question": chr(0x4E00 + j % 20000) * 1990}),
        "match-text-2000": lambda j: ("/api/match", {"text": "我们是杭州的人形机器人企业,首台套对非关联方销售"
                                                            + str(1000 + j) + "万元。" + random_text(1950, j)}),
    }
    alone: dict[str, float] = {}
    with httpx.Client(timeout=120) as c:
        for name, make in candidates.items():
            times = []
            for j in range(3):
                path, body = make(10_000 + j)
                t = time.perf_counter()
                c.post(url + path, json=body)
                times.append(time.perf_counter() - t)
            alone[name] = round(statistics.median(times), 3)
    worst = max(alone, key=alone.get)
    stop = threading.Event()
    heavy_statuses: dict[int, int] = {}
    lock = threading.Lock()

    def worker(i: int) -> None:
        j = 0
        with httpx.Client(timeout=120) as c:
            while not stop.is_set():
                j += 1
                path, body = candidates[worst](i * 100_000 + j)
                try:
                    st = c.post(url + path, json=body).status_code
                except httpx.HTTPError:
                    st = 0
                with lock:
                    heavy_statuses[st] = heavy_statuses.get(st, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    xs, statuses = [], {}
    with httpx.Client(timeout=120) as c:
        for i in range(samples):
            t0 = time.perf_counter()
            st = c.post(url + "/api/ask", json={"question": f"首次采购杭州企业的芯片{500 + i}万元能拿多少奖励?"}).status_code
            xs.append(time.perf_counter() - t0)
            statuses[st] = statuses.get(st, 0) + 1
            time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    xs.sort()
    return {"worst_request": worst, "alone_s": alone, "clients": clients,
            "normal_p50_s": round(statistics.median(xs), 3), "normal_p95_s": round(xs[int(0.95 * (len(xs) - 1))], 3),
            "normal_max_s": round(xs[-1], 3), "normal_statuses": {str(k): v for k, v in statuses.items()},
            "heavy_statuses": {str(k): v for k, v in heavy_statuses.items()}}
