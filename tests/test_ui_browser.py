"""A real browser (Debian's headless Chromium) types a question and waits for a cited answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("Debian chromium and chromium-driver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1400"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    yield driver
    driver.quit()


def test_question_gets_a_cited_answer(browser, live_app) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_app["url"])
    box = WebDriverWait(browser, 60).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#pa-question textarea"))
    box.send_keys("人形机器人首台套销售额3000万元补助多少?")
    browser.find_element(By.ID, "pa-send").click()
    WebDriverWait(browser, 60).until(lambda d: "第3条" in d.find_element(By.ID, "pa-chatbot").text)
    text = browser.find_element(By.ID, "pa-chatbot").text
    assert "150万元" in text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "chat-answer.png"))
    assert (ARTIFACTS / "chat-answer.png").stat().st_size > 10_000


def test_page_loads_nothing_from_outside(browser, live_app) -> None:
    """No fonts, scripts or analytics from a CDN: every request the page makes stays on loopback."""
    import json
    from urllib.parse import urlparse

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("performance")  # drop earlier entries
    browser.get(live_app["url"])
    WebDriverWait(browser, 60).until(lambda d: d.find_element(By.CSS_SELECTOR, "#pa-question textarea"))
    hosts = set()
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if url.startswith(("http://", "https://", "ws://", "wss://")):
                hosts.add(urlparse(url).hostname)
    assert hosts and hosts <= {"127.0.0.1", "localhost"}, hosts


def test_document_html_renders_as_text(browser, tmp_path) -> None:
    """A title carrying <img src="/logout"> and an article carrying a password form and a link
    (issue 19): the banner, 文件库 and the chat show them as text; nothing of them is live."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from assistant.answer.chain import Assistant
    from assistant.config import load_settings
    from assistant.ops.feedback import FeedbackStore
    from ui.handlers import Handlers
    from ui.server import serve

    from .conftest import CORPUS, FakeEmbeddings, free_port
    from .test_hardening import EVIL_TEXT, EVIL_TITLE

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    meta_file = next(corpus.glob("*.meta.json"))
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["title"] = EVIL_TITLE
    meta_file.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    text_file = meta_file.with_name(meta_file.name.replace(".meta.json", ".txt"))
    text_file.write_text(text_file.read_text(encoding="utf-8").replace("带动手术机器人", EVIL_TEXT + "带动手术机器人", 1),
                         encoding="utf-8")
    settings = load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index", db_path=tmp_path / "fb.sqlite3")
    server = serve(Handlers(Assistant(settings, embeddings=FakeEmbeddings()), FeedbackStore(settings.db_path)),
                   settings, "127.0.0.1", free_port(), block=False)
    live = "return [document.querySelectorAll('img[src=\"/logout\"]').length, " \
           "document.querySelectorAll('input[type=password]').length, " \
           "document.querySelectorAll('a[href*=\"evil.example\"]').length]"
    try:
        browser.get(server.url)
        WebDriverWait(browser, 60).until(lambda d: "实施意见" in d.find_element(By.CLASS_NAME, "pa-banner").text)
        browser.find_element(By.CSS_SELECTOR, "#pa-banner summary").click()
        WebDriverWait(browser, 10).until(lambda d: '<img src="/logout">' in d.find_element(By.ID, "pa-banner").text)
        box = browser.find_element(By.CSS_SELECTOR, "#pa-question textarea")
        box.send_keys("手术机器人有政策支持吗?")
        browser.find_element(By.ID, "pa-send").click()
        WebDriverWait(browser, 60).until(lambda d: "第11条" in d.find_element(By.ID, "pa-chatbot").text)
        # one script call each: a loop over found elements races the chatbot's re-render (stale nodes)
        browser.execute_script("document.querySelectorAll('#pa-chatbot summary').forEach(s => s.click())")
        browser.execute_script("""[...document.querySelectorAll('button[role=tab]')]
            .filter(t => t.textContent.includes('文件库')).forEach(t => t.click())""")
        WebDriverWait(browser, 30).until(lambda d: "请点此登录" in d.find_element(By.ID, "pa-document").text)
        assert browser.execute_script(live) == [0, 0, 0]
        assert "[请点此登录](http://evil.example/)" in browser.find_element(By.ID, "pa-document").text
    finally:
        server.close()
