"""A real browser (Debian's headless Chromium) types a question and waits for a cited answer."""

from __future__ import annotations

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
