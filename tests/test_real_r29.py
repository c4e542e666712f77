"""R29's first run (real documents, issue 17): a page's navigation and field labels are no titles,
a heading broken over two lines is joined when the notice names it whole, and how a figure is asked
(最高奖补, 按省标准) is never the thing a document lacks."""

from __future__ import annotations

import shutil

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.ingest.library import add_document

from .conftest import CORPUS, FIXTURES, FakeEmbeddings

R29 = FIXTURES / "real-r29"


@pytest.mark.parametrize("name, title", [
    # 导航 / 我要收藏 / 取消收藏 over a 解读 that says what it interprets
    ("r29-qd-jszn-jiedu.txt", "《青岛市支持人工智能和具身智能机器人产业发展若干政策措施》解读"),
    # 内容概述 对区政协…: the page's field label before its value
    ("r29-wx-xinwu-dafu.docx", "对区政协二届三次会议第20号提案的答复函"),
    # 广东省深化“互联网+先进制造业” / 发展工业互联网的实施方案, named whole in 现将《…》…印发给你们
    ("r29-gd-hlwzz-fangan.txt", "广东省深化“互联网+先进制造业”发展工业互联网的实施方案"),
])
def test_titles_of_pages_as_found(tmp_path, name: str, title: str) -> None:  # noqa: ANN001
    shutil.copytree(CORPUS, tmp_path / "corpus")
    assert add_document(tmp_path / "corpus", R29 / name).meta.title == title


@pytest.fixture(scope="module")
def qingdao(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("r29")
    shutil.copytree(CORPUS, root / "corpus")
    for name in ("r29-qd-jszn-cuoshi.html", "r29-qd-jszn-jiedu.txt"):
        add_document(root / "corpus", R29 / name)
    return Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                     embeddings=FakeEmbeddings())


@pytest.mark.parametrize("question", [
    "青岛支持人工智能和具身智能机器人的若干政策措施,对标杆型数据基础设施项目最高奖补多少?",
    "青岛具身智能若干政策措施里,引领型数据基础设施项目按省标准最高奖补多少?",
])
def test_how_a_figure_is_asked_is_no_thing_the_document_lacks(qingdao: Assistant, question: str) -> None:
    answer = qingdao.ask(question)
    assert answer.found and (answer.citations[0].doc_id, answer.citations[0].article_label) == \
        ("r29-qd-jszn-cuoshi", "一、")
    assert "1000万元" in answer.answer


def test_a_figure_cut_off_with_the_page_is_not_stated(tmp_path_factory: pytest.TempPathFactory) -> None:
    """R29 rr29116: 青岛's 行动计划 page stops at 存储总量达 — the thing is there, its figure is not:
    not stated (not the 算力总规模 sentence before it); 算力总规模 is stated (12EFLOPS)."""
    root = tmp_path_factory.mktemp("r29-cut")
    shutil.copytree(CORPUS, root / "corpus")
    add_document(root / "corpus", R29 / "r29-qd-ai-xingdong.docx")
    bot = Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                    embeddings=FakeEmbeddings())
    cut = bot.ask("青岛人工智能产业创新发展行动计划里存储总量要达到多少?")
    assert not cut.found and "存储总量的具体数值" in cut.answer
    stated = bot.ask("青岛人工智能产业创新发展行动计划里算力总规模要达到多少?")
    assert stated.found and "12EFLOPS" in stated.answer
