from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.corpus import load_corpus, load_document, parse_text
from assistant.errors import CorpusError, ParseError

from .conftest import CORPUS, FIXTURES, SEED_DEPARTMENTS, SEED_TITLES


@pytest.fixture(scope="module")
def seed():
    (doc,) = load_corpus(CORPUS)
    return doc


def test_seed_document_has_all_19_sections(seed) -> None:
    assert [a.number for a in seed.articles] == list(range(19))
    assert {a.number: a.title for a in seed.articles} == SEED_TITLES


def test_seed_departments(seed) -> None:
    for a in seed.articles[1:]:
        assert list(a.departments) == SEED_DEPARTMENTS[a.number], a.number


def test_article_text_is_verbatim_source(seed) -> None:
    source = (CORPUS / "hangzhou-intelligent-robots-2024-draft.txt").read_text(encoding="utf-8")
    for a in seed.articles:
        for line in a.text.split("\n"):
            assert line in source


def test_preamble_is_article_zero_with_summary_first(seed) -> None:
    pre = seed.article(0)
    assert pre.text.startswith("力争到2026年")
    assert "2024年4月8日至2024年5月8日" in pre.text
    assert seed.contact in pre.text
    assert seed.status == "征求意见稿"


def test_numbering_di_yi_tiao() -> None:
    doc = load_document(FIXTURES / "tiao.txt")
    assert [a.number for a in doc.articles] == [0, 1, 2, 3, 4]
    assert doc.doc_id == "tiao"
    assert doc.article(2).title == "支持无人机整机研发"
    assert doc.article(2).label == "第二条"
    assert doc.article(3).departments == ("市交通运输局", "市邮政管理局")
    assert doc.article(0).title == "杭州市无人机产业促进办法(示例)"
    # A sentence-long first clause is shortened to a heading.
    assert doc.article(1).title == "为了促进无人机产业发展…"
    assert doc.title == "杭州市无人机产业促进办法(示例)"


def test_numbering_yi_dun_hao() -> None:
    arts = load_document(FIXTURES / "cn-sections.txt").articles
    assert [(a.number, a.title) for a in arts[1:]] == [
        (1, "培育数字贸易主体"), (2, "完善数字基础设施"), (3, "加强人才保障")]
    assert arts[2].departments == ("市经信局", "市通信管理局")


def test_numbering_paren_nested_under_sections() -> None:
    arts = load_document(FIXTURES / "nested.txt").articles
    assert [a.number for a in arts] == [0, 1, 2, 3, 4]
    assert arts[3].section == "二、保障措施"
    assert arts[3].label == "二、(三)" and arts[3].ref == "二、(三)"
    assert arts[3].title == "加强要素保障"
    # Section headings are not articles; a section's intro leads into its first item (also the first
    # section's: it is not the preamble's)
    assert "到2027年" in arts[1].text and "到2027年" not in arts[0].text
    assert all("总体要求" != a.title for a in arts)


def test_numbering_restarting_per_section_is_renumbered() -> None:
    arts = load_document(FIXTURES / "nested-restart.txt").articles
    assert [a.number for a in arts] == [0, 1, 2, 3, 4]
    assert [a.label for a in arts[1:]] == ["一、(一)", "一、(二)", "二、(一)", "二、(二)"]


def test_text_without_numbered_items_loads_as_one_unit() -> None:
    doc = load_document(FIXTURES / "nostructure.txt")
    assert [(a.number, a.kind) for a in doc.articles] == [(0, "preamble")]
    assert doc.articles[0].text.startswith("这是一段没有任何条款编号的普通文字。")


def test_empty_text_fails() -> None:
    with pytest.raises(ParseError):
        parse_text("\n\n", "x", "empty.txt")


def test_bad_metadata_and_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("1、甲。乙。\n2、丙。丁。\n", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CorpusError, match="a.meta.json"):
        load_corpus(tmp_path)
    (tmp_path / "a.meta.json").write_text('{"doc_id": "same"}', encoding="utf-8")
    (tmp_path / "b.txt").write_text("1、甲。\n2、乙。\n", encoding="utf-8")
    (tmp_path / "b.meta.json").write_text('{"doc_id": "same"}', encoding="utf-8")
    with pytest.raises(CorpusError, match="already used"):
        load_corpus(tmp_path)


def test_missing_or_empty_corpus_dir(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no policy texts"):
        load_corpus(tmp_path)


def test_undecodable_file(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CorpusError, match="bad.txt"):
        load_corpus(tmp_path)


def test_parsed_documents_are_kept_until_a_file_changes(tmp_path: Path) -> None:
    """A command starts from the parses kept beside the index; an edited text or metadata file is
    parsed again, and a damaged cache only costs time."""
    import json
    import os
    import shutil

    corpus, cache = tmp_path / "corpus", tmp_path / "documents.pickle"
    shutil.copytree(CORPUS, corpus)
    first = load_corpus(corpus, cache)
    assert cache.exists() and load_corpus(corpus, cache) == first
    text = next(corpus.glob("*.txt"))
    text.write_text(text.read_text(encoding="utf-8").replace("工作专班", "工作小组"), encoding="utf-8")
    os.utime(text, ns=(1, 1))
    assert "工作小组" in load_corpus(corpus, cache)[0].articles[15].text
    meta = corpus / f"{text.stem}.meta.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**data, "title": "另一个标题"}, ensure_ascii=False), encoding="utf-8")
    assert load_corpus(corpus, cache)[0].title == "另一个标题"
    cache.write_bytes(b"not a pickle")
    assert load_corpus(corpus, cache)[0].title == "另一个标题"
