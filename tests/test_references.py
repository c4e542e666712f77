"""How a question names a document (`references.namings`): each clue's score, the version
preferences added to it, and the spans that name it — over the 4-document test library."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.corpus import Corpus
from assistant.retrieve.references import NAMED, namings

from .conftest import build_library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus.load(build_library(Path(tmp_path_factory.mktemp("references"))))


def _named(text: str, corpus: Corpus, threshold: float = NAMED) -> list[tuple[str, tuple]]:
    return [(n.doc.doc_id, n.spans) for n in namings(text, corpus, threshold)]


@pytest.mark.parametrize("text, span", [
    ("杭政办函〔2025〕17号第三条讲什么", (0, 13)),  # the 文号 in full
    ("17号文第五条是什么内容?", (0, 4)),  # as 17号文
])
def test_a_doc_number_names_the_document_outright(library: Corpus, text: str, span: tuple[int, int]) -> None:
    # in force, no status or year named
    assert _named(text, library) == [("hz-robots-2025-final", (span,))]


def test_an_alias_names_a_replaced_draft_after_its_status_is_named(library: Corpus) -> None:
    # the alias 征求意见稿 (5 characters) is also its status; the draft is replaced by the final version
    assert [d for d, _ in _named("征求意见稿第3条讲什么?", library)] == ["hz-robots-2024-draft"]
    assert [d for d, _ in _named("2024年的征求意见稿第3条讲什么?", library)] == ["hz-robots-2024-draft"]


def test_the_only_document_of_its_kind_is_named_by_the_kind(library: Corpus) -> None:
    # 行动方案: one family of documents of that kind in the library (a draft, not in force)
    assert _named("行动方案里的算力券", library) == [("hz-embodied-2025-draft", ((0, 4),))]


@pytest.mark.parametrize("text", ["手术机器人有什么支持", "钱塘区的若干措施第十五条"])
def test_no_clue_names_nothing(library: Corpus, text: str) -> None:
    # a topic only; a place and a kind two documents share (措施) without the title's subject
    assert _named(text, library) == []


def test_a_status_alone_does_not_name_a_document(library: Corpus) -> None:
    # two documents are 征求意见稿; only the one with the alias is named, and no version wins by status alone
    assert [d for d, _ in _named("征求意见稿第3条讲什么?", library)] == ["hz-robots-2024-draft"]
    assert _named("现在是正式生效了吗", library) == []
