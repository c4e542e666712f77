"""R37's documents in use (real documents, issue 17; web round 24): a Hangzhou answer's sources name
no other place's document beside its basis."""

from __future__ import annotations

import shutil

import pytest

from assistant.answer.chain import Assistant, Conversation
from assistant.config import load_settings
from assistant.ingest.library import add_document

from .conftest import CORPUS, FIXTURES, FakeEmbeddings

R37 = FIXTURES / "real-r37"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("r37")
    shutil.copytree(CORPUS, root / "corpus")
    for name in ("r37_guangdong_icv_road_test.txt", "r37_pudong_driverless_icv_rules.html",
                 "r37_shanghai_digital_economy_14th.docx"):
        add_document(root / "corpus", R37 / name)
    return Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                     embeddings=FakeEmbeddings())


@pytest.mark.parametrize("question", [
    "如果这3000万里有800万元是卖给关联公司的呢?",
    "智能网联汽车示范应用的人形机器人首台套,销售3000万补多少",  # (浦东's 规定 第二条 among its hits)
])
def test_sources_beside_a_hangzhou_basis_are_of_hangzhou(library: Assistant, question: str) -> None:
    conv = Conversation()
    library.ask("我们是杭州的人形机器人整机企业,产品已认定为首台套,对非关联方销售额3000万元,能拿多少补助?", conv)
    answer = library.ask(question, conv)
    assert answer.citations[0].article == 3
    assert {c.doc_id for c in answer.citations} == {"hz-robots-2024-draft"}
