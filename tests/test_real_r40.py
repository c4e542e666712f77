"""R40's first run (real documents, issue 17): a comment form titled by its 标题 field, a 条例
promulgated with a comma before 业经…批准, 组织实施条例 as the document itself, 点名 as what a text
says, 哪个版本的稿子 as the status, a facet a named partial text does not state, and the chapters of
a text cut short."""

from __future__ import annotations

import shutil

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.ingest.library import add_document

from .conftest import CORPUS, FIXTURES, FakeEmbeddings

R40 = FIXTURES / "real-r40"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("r40")
    shutil.copytree(CORPUS, root / "corpus")
    for name in ("r40-gz-szjj-tiaoli.docx", "r40-gz-szjj-caoan.html", "r40-nantong-znjc-tongzhi.txt",
                 "r40-ah-tyrgzn-xdjh.html", "r40-zs-rgzn-cuoshi.docx", "r40-miit-ylrobot-han.txt"):
        add_document(root / "corpus", R40 / name)
    return Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                     embeddings=FakeEmbeddings())


def first(answer) -> tuple[str, str]:  # noqa: ANN001
    return answer.citations[0].doc_id, answer.citations[0].article_label


def test_the_draft_and_the_law_keep_their_titles(library: Assistant) -> None:
    titles = {d.doc_id: d.title for d in library.corpus.documents}
    assert titles["r40-gz-szjj-caoan"] == "广州市数字经济促进条例(草案)"
    assert titles["r40-gz-szjj-tiaoli"] == "广州市数字经济促进条例"


def test_carrying_out_the_law_names_no_other_policy(library: Assistant) -> None:
    """rr40093: 并组织实施条例 is the 草案 itself."""
    answer = library.ask("广州数字经济促进条例草案规定由哪个部门负责推进、协调、督促全市数字经济发展并组织实施条例?")
    assert answer.found and first(answer) == ("r40-gz-szjj-caoan", "第六条")


def test_what_a_notice_names_and_the_version_asked(library: Assistant) -> None:
    """rr40069: 点名 says what the notice names; rr40066: 哪个版本的稿子 asks its status."""
    named = library.ask("南通第四批示范智能车间的通知里点名的是哪个车间?")
    assert named.found and first(named) == ("r40-nantong-znjc-tongzhi", "公告与前言")
    version = library.ask("安徽这份通用人工智能三年行动计划是哪个版本的稿子?")
    assert version.found and first(version)[0] == "r40-ah-tyrgzn-xdjh"
    assert version.answer.startswith("《安徽省通用人工智能创新发展三年行动计划(2023—2025年)》为正式文件")


def test_a_facet_the_named_text_does_not_state(library: Assistant) -> None:
    """rr40112 (有效期) and rr40084 (报送截止时间): what the named document's stored text never says
    is not covered, whatever other documents say of theirs."""
    for question in ("舟山人工智能若干措施的有效期到哪一年?", "工信部和卫健委征集医疗领域机器人典型应用场景,报送截止时间是哪天?"):
        assert not library.ask(question).found, question


def test_the_chapters_of_a_text_cut_short_are_not_a_total(library: Assistant) -> None:
    """rr40098: the stored 条例 stops in its first chapter — what it shows, and no total."""
    answer = library.ask("《广州市数字经济促进条例》一共有多少章、多少条?")
    assert answer.answer.startswith("本库收录的《广州市数字经济促进条例》文本在句中截断,可见1章:第一章 总 则")
    assert "全文共几章、几条,收录的文本无法确定。" in answer.answer
