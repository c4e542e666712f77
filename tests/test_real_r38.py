"""R38's first run (real documents, issue 17): the 文号 a 解读 writes after the plan it explains,
a proposal's title (题目) asked of the reply to it, and an abbreviation (智改) of what a page writes
in full (智能化改造)."""

from __future__ import annotations

import shutil

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.ingest.library import add_document

from .conftest import CORPUS, FIXTURES, FakeEmbeddings

R38 = FIXTURES / "real-r38"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("r38")
    shutil.copytree(CORPUS, root / "corpus")
    for name in ("huangpu-xinxihua-jiedu.txt", "hangzhou-fgw-376-dafu.html", "suzhou-zhigaishuzhuan-cuoshi.txt",
                 "yancheng-zhigaishuzhuan.txt"):
        add_document(root / "corpus", R38 / name)
    return Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                     embeddings=FakeEmbeddings())


def test_the_number_a_jiedu_writes_after_the_plan_it_explains(library: Assistant) -> None:
    """rr38047: the 解读 carries no 文号 of its own, but writes the plan's (穗开管办〔2021〕8号)."""
    answer = library.ask("《广州市黄埔区、广州开发区信息化发展“十四五”专项规划》的文号是多少?由哪两个单位印发?")
    assert answer.found and answer.citations[0].article == 0
    assert answer.answer.startswith(
        "《广州市黄埔区、广州开发区信息化发展“十四五”专项规划(2021-2025年)》的文号为穗开管办〔2021〕8号。")


def test_a_title_asked_is_no_thing_the_text_lacks(library: Assistant) -> None:
    """rr38076: 题目是什么 asks for a title, which the reply writes in 《》 — not a 题目 it lacks."""
    answer = library.ask("杭州市发改委答复的市政协十二届一次会议第376号提案,题目是什么?")
    assert answer.found and (answer.citations[0].doc_id, answer.citations[0].article) == ("hangzhou-fgw-376-dafu", 0)


def test_an_abbreviation_of_what_the_page_writes_in_full(library: Assistant) -> None:
    """rr38090: 智改 is 智能化改造 (another page of the library writes 智改 itself)."""
    answer = library.ask("苏州智改贴息奖励,单个企业每年最高多少?")
    assert answer.found and answer.citations[0].article_label == "一、(一)"


def test_a_verb_of_the_text_citing_something_is_no_thing_it_lacks(tmp_path) -> None:  # noqa: ANN001
    """R39 rr39046: 驾驶自动化分级引用的是哪个国家标准 — 引用 says what the text cites (as 提到 says what
    it mentions), not a thing it lacks: 第二条 answers."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    add_document(tmp_path / "corpus", FIXTURES / "real-r39" / "r39-chengdu-disu-wurenche.txt")
    bot = Assistant(load_settings().with_(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"),
                    embeddings=FakeEmbeddings())
    answer = bot.ask("成都低速无人车办法里驾驶自动化分级引用的是哪个国家标准?")
    assert answer.found and answer.citations[0].article_label == "第二条"
