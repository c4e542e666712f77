"""`make screenshots`: every tab of the web app at 1400×1000 and at 390×844 (a phone), written to
docs/screenshots/<tab>-<wide|phone>.png. Starts its own server on a free loopback port with a
temporary feedback database and a staff login (so the staff tabs are shown too), drives Debian's
headless Chromium, stops the server. Needs `chromium` and `chromium-driver` (and a CJK font for
the browser, e.g. fonts-wqy-microhei)."""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STAFF, PASSWORD = "staff", "screenshots-only"
SIZES = {"wide": (1400, 1000), "phone": (390, 844)}
TABS = [("chat", "智能问答"), ("lookup", "条文检索"), ("calc", "补贴计算器"), ("match", "政策体检"),
        ("library", "文件库"), ("dashboard", "看板"), ("unanswered", "未解答问题"), ("upload", "上传文件")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def driver(width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                f"--window-size={width},{height}"):
        opts.add_argument(arg)
    d = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    d.set_window_size(width, height)
    return d


def until(d, predicate, timeout: float = 60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(d, timeout, poll_frequency=0.2).until(predicate)


def css(selector: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, selector


def open_tab(d, name: str) -> None:
    """A tab by its label (on a phone some sit in the overflow menu; a script click reaches them)."""
    clicked = d.execute_script("""
        const name = arguments[0];
        const all = [...document.querySelectorAll('button')].filter(b => b.textContent.trim() === name);
        const shown = (x) => x.getBoundingClientRect().width > 0 && getComputedStyle(x).visibility !== 'hidden'
            && !x.closest('[aria-hidden="true"], .hidden, .overflow-dropdown.hide');
        const b = all.find(x => x.getAttribute('role') === 'tab' && shown(x)) || all.find(shown);
        if (b) { b.click(); return true; }
        const more = document.querySelector('.overflow-menu > button');
        if (more) more.click();
        return false;""", name)
    if not clicked:  # in the overflow menu (a phone): opened now, click again
        time.sleep(0.4)
        clicked = d.execute_script("""
            const all = [...document.querySelectorAll('button')].filter(b => b.textContent.trim() === arguments[0]);
            const b = all.find(x => x.getBoundingClientRect().width > 0 && x.closest('.overflow-dropdown'));
            if (b) b.click();
            return !!b;""", name)
    if not clicked:
        raise RuntimeError(f"no tab {name}")
    time.sleep(0.8)


def fill(d, tab: str) -> None:
    """What a user would have on the screen in each tab."""
    if tab == "chat":
        d.find_element(*css("#pa-clear")).click()
        box = d.find_element(*css("#pa-question textarea"))
        box.send_keys("人形机器人首台套对非关联方销售额3000万元补助多少?")
        d.find_element(*css("#pa-send")).click()
        until(d, lambda x: "150万元" in x.find_element(*css("#pa-chatbot")).text)
    elif tab == "lookup":
        q = d.find_element(*css("#pa-lookup textarea, #pa-lookup input"))
        q.clear()
        q.send_keys("出海")
        d.find_element(*css("#pa-find")).click()
        until(d, lambda x: x.find_elements(*css("#pa-results .pa-card")))
    elif tab == "match":
        t = d.find_element(*css("#pa-match-text textarea"))
        t.clear()
        t.send_keys("我们是杭州滨江的人形机器人整机企业,首台套对非关联方卖了3000万元,准备参加海外展会")
        d.find_element(*css("#pa-match")).click()
        until(d, lambda x: "确定可获" in x.find_element(*css("#pa-match-result")).text)
    elif tab in ("dashboard", "unanswered"):
        time.sleep(1.5)
    time.sleep(1.0)
    d.execute_script("window.scrollTo(0, 0)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("screenshots need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
              file=sys.stderr)
        return 2
    from assistant.config import load_settings
    from ui.launch import launch

    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="pa-shots-"))
    settings = load_settings().with_(db_path=tmp / "feedback.sqlite3", ui_host="127.0.0.1", ui_port=free_port(),
                                     ui_auth=f"{STAFF}:{PASSWORD}", ui_rate_per_minute=1000)
    server = launch(block=False, settings=settings)
    written = []
    try:
        for size, (w, h) in SIZES.items():
            d = driver(w, h)
            try:
                d.get(server.url + "login")
                d.find_element(*css("input[name=username]")).send_keys(STAFF)
                d.find_element(*css("input[name=password]")).send_keys(PASSWORD)
                d.find_element(*css("button[type=submit]")).click()
                until(d, lambda x: x.find_elements(*css("#pa-question textarea")))
                until(d, lambda x: "退出" in x.find_element(*css("#pa-user")).text)
                for key, name in TABS:
                    open_tab(d, name)
                    fill(d, key)
                    path = args.out / f"{key}-{size}.png"
                    d.save_screenshot(str(path))
                    written.append(path)
            finally:
                d.quit()
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)
    for p in written:
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
