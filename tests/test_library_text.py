"""The library text's look-ups: the character index finds exactly what a scan finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.ingest.corpus import Corpus, parse_text
from assistant.models import Document
from assistant.retrieve.library_text import LibraryText

_ALPHABET = "企业补贴资金元年ab\n、𠀀"


def _library(bodies: list[str]) -> LibraryText:
    text = "\n".join(f"{i + 1}、{body}" for i, body in enumerate(bodies))
    doc = Document(doc_id="d", title="测试文件", path="d.txt", articles=parse_text(text, "d"))
    return LibraryText(Corpus([doc]))


@settings(max_examples=60, deadline=None)
@given(bodies=st.lists(st.text(alphabet=_ALPHABET.replace("\n", ""), min_size=1, max_size=25), min_size=1, max_size=8),
       forms=st.lists(st.text(alphabet=_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=12))
def test_indexed_look_ups_equal_scans(bodies: list[str], forms: list[str]) -> None:
    scanned, indexed = _library(bodies), _library(bodies)
    indexed.prepare()
    for form in forms:
        expected = frozenset(i for i, t in enumerate(scanned.texts) if form in t)
        assert scanned.articles_with(form) == expected
        assert indexed.articles_with(form) == expected
        assert indexed.has(form) == scanned.has(form) == (form in scanned._text)


def test_a_process_indexes_after_enough_searches() -> None:
    library = _library(["企业补贴", "资金"])
    assert library._index is None
    for n in range(70):
        library.has(f"未见{n}")
    assert library._index is not None
    assert library.articles_with("资金") == frozenset(i for i, t in enumerate(library.texts) if "资金" in t)


def test_english_words_are_whole_words() -> None:
    library = _library(["支持MEMS传感器和AI芯片", "5g基站"])
    for word in ("mems", "ai", "me", "ems", "g", "chip"):
        expected = re.search(rf"(?<![a-z]){word}(?![a-z])", library._text) is not None
        assert library.contains(word) is expected, word
    assert library.contains("mems") and not library.contains("me")
