"""R41's first run (real documents, issue 17): an untitled provincial text whose place is only its
文号's one-character name (闽政〔2015〕36号), titled by what its preamble says the measures are on
(现就加快发展智能制造提出如下措施)."""

from __future__ import annotations

import shutil

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.ingest.library import add_document

from .conftest import CORPUS, FIXTURES, FakeEmbeddings

R41 = FIXTURES / "real-r41"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("r41")
    shutil.copytree(CORPUS, root / "corpus")
    add_document(root / "corpus", R41 / "r41-fj-zhinengzhizao.txt")
    return Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                     embeddings=FakeEmbeddings())


def test_an_untitled_provincial_text_by_its_number(library: Assistant) -> None:
    doc = library.corpus.document("r41-fj-zhinengzhizao")
    assert doc is not None and doc.title == "关于加快发展智能制造的措施"
    assert doc.meta.jurisdiction[:2] == ["福建省", "Fujian"]


@pytest.mark.parametrize("question, label", [
    ("福建的“机器换工”主要在哪些行业领域组织实施?", "一、(三)"),  # rr41034
    ("福建智能制造措施里的“数控一代”主攻方向具体指什么?", "一、(一)"),  # rr41033
])
def test_questions_naming_the_province_are_answered_from_it(library: Assistant, question: str, label: str) -> None:
    answer = library.ask(question)
    assert answer.found and (answer.citations[0].doc_id, answer.citations[0].article_label) == \
        ("r41-fj-zhinengzhizao", label)



def test_the_topic_of_a_making_sentence_leaves_our_city_out(tmp_path) -> None:  # noqa: ANN001
    """R5 (杭州's 人工智能 意见, untitled): 现就加快推进我市人工智能产业创新发展提出如下意见 — a title names
    its place or none, never 我市."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    meta = add_document(tmp_path / "corpus", FIXTURES / "real-r5" / "hz-ai-opinions-2023.txt").meta
    assert meta.title == "关于加快推进人工智能产业创新发展的意见"
