"""How a question names a document (`references.namings`): each clue's score, the version
preferences added to it, and the spans that name it — over the 4-document test library."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.corpus import Corpus
from dataclasses import replace

from assistant.retrieve.references import NAMED, NAMING_SCORES, NamingScores, namings

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


def _scores(text: str, corpus: Corpus, scores: NamingScores = NAMING_SCORES) -> list[tuple[str, float]]:
    return [(n.doc.doc_id, round(n.score, 6)) for n in namings(text, corpus, scores=scores)]


TITLE = "杭州市促进智能机器人产业高质量发展的实施意见"


@pytest.mark.parametrize("text, expected", [
    # the 文号 of the version in force
    ("杭政办函〔2025〕17号第三条讲什么", [("hz-robots-2025-final", "doc_number + in_force")]),
    # the shared alias 征求意见稿, which is also the status named; its draft is replaced
    ("征求意见稿第3条讲什么?", [("hz-robots-2024-draft", "shared_alias + status_named - superseded")]),
    ("2024年的征求意见稿第3条讲什么?",
     [("hz-robots-2024-draft", "shared_alias + status_named + year_named - superseded")]),
    # the whole title written out, shared by the two versions: force decides, unless the status is named
    (f"{TITLE}的文号是多少?", [("hz-robots-2025-final", "title + title_written + in_force"),
                               ("hz-robots-2024-draft", "title + title_written - superseded")]),
    (f"{TITLE}(征求意见稿)第3条", [("hz-robots-2024-draft", "title + title_written + status_named - superseded"),
                                   ("hz-robots-2025-final", "title + title_written + in_force")]),
    # the title's characters in order with its 高质量 left out: a long abbreviation, not written out
    ("杭州市促进智能机器人产业发展的实施意见的文号是多少?",
     [("hz-robots-2025-final", "abbreviation + abbreviation_max_extra + in_force"),
      ("hz-robots-2024-draft", "abbreviation + abbreviation_max_extra - superseded")]),
])
def test_each_clue_counts_its_named_score(library: Corpus, text: str, expected: list[tuple[str, str]]) -> None:
    fields = {f: getattr(NAMING_SCORES, f) for f in NamingScores.__dataclass_fields__}
    assert _scores(text, library) == [(d, round(eval(formula, {}, fields), 6)) for d, formula in expected]


@pytest.mark.parametrize("change, text, expected", [
    ({"doc_number": 5.0}, "杭政办函〔2025〕17号第三条讲什么", [("hz-robots-2025-final", 5.3)]),
    ({"in_force": 0.0}, "杭政办函〔2025〕17号第三条讲什么", [("hz-robots-2025-final", 3.0)]),
    ({"superseded": 0.0, "status_named": 2.0}, "征求意见稿第3条讲什么?", [("hz-robots-2024-draft", 3.0)]),
    ({"year_named": 1.0}, "2024年的征求意见稿第3条讲什么?", [("hz-robots-2024-draft", 2.7)]),
    ({"title": 3.0}, f"{TITLE}的文号是多少?", [("hz-robots-2025-final", 3.5), ("hz-robots-2024-draft", 2.9)]),
    ({"title_written": 0.0}, f"{TITLE}的文号是多少?", [("hz-robots-2025-final", 2.3), ("hz-robots-2024-draft", 1.7)]),
])
def test_the_scores_are_the_ones_namings_uses(library: Corpus, change: dict, text: str,
                                              expected: list[tuple[str, float]]) -> None:
    assert _scores(text, library, replace(NAMING_SCORES, **change)) == expected


def test_a_figure_in_a_unit_the_named_document_never_uses_is_not_stated() -> None:
    """多少万元 of a text with no 万元 figure (a page cut before its amounts), 几家 of 有 家 (a blank in
    the source): the document does not state it; 几个 counts listed things and is no unit."""
    from types import SimpleNamespace

    from assistant.answer.choice import _unit_never_used

    doc = SimpleNamespace(title="某市支持机器人产业发展的若干措施", articles=[
        SimpleNamespace(title="", departments=(), section="", text="力争5年内有 家特色小镇获省级认定,培育50多个单项冠军,给予一次性奖补。")])
    assert [_unit_never_used(q, doc) for q in (
        "一次性奖补多少万元?", "几家特色小镇获省级认定?", "培育多少家单项冠军?", "聚焦哪几个方向?")] == \
        ["万元", "家", "家", ""]
    doc.articles[0].text += "最高奖励500万元。"
    assert _unit_never_used("一次性奖补多少万元?", doc) == ""


def test_a_headlines_one_named_document_is_one_of_its_titles() -> None:
    """R27: a news page titled 八部门联合印发《“人工智能+制造”专项行动实施意见》 is named by a short name of
    the document in its 《》 (“人工智能+制造”实施意见), as a notice is by the document it issues."""
    from assistant.retrieve.references import inner_titles

    assert inner_titles("八部门联合印发《“人工智能+制造”专项行动实施意见》") == ["“人工智能+制造”专项行动实施意见"]
    assert inner_titles("关于《甲》和《乙方案》的说明") == []
    assert inner_titles("关于《杭州市促进具身智能机器人产业发展条例(草案)》的说明") == []
    assert inner_titles("《中山市推进“人工智能+”产业创新发展的若干政策措施》政策解读") == []
