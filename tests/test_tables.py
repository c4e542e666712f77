"""Word tables (lang/tables.py): the same entries as the dictionaries they are made from, named by
their sources (version, size, time), and the same tokens and weights as the dictionaries themselves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.lang import lexical
from assistant.lang.tables import Overlay, content_key, open_table


def test_a_table_holds_exactly_its_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_TABLE_DIR", str(tmp_path))
    table = open_table("t", "k1", lambda: ({"机器": 0, "机器人": 50, "rate": 0.25}.items(), 123))
    assert table is not None and table.total == 123
    assert (table.get("机器"), table.get("机器人"), table.get("rate"), table.get("无")) == (0, 50, 0.25, None)
    assert "机器" in table and "无" not in table and table.get("无", 7) == 7
    with pytest.raises(KeyError):
        table["无"]
    again = open_table("t", "k1", lambda: pytest.fail("an existing table is not built again"))
    assert again is not None and again.get("机器人") == 50
    own = Overlay(table)
    own["机器人产业"] = 2000
    own["机器人产"] = 0
    assert (own.get("机器人产业"), own.get("机器人产"), own.get("机器人"), own.get("无")) == (2000, 0, 50, None)
    assert "机器人产" in own and table.get("机器人产业") is None  # the shared table is never written


def test_many_look_ups_read_the_whole_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.lang import tables

    monkeypatch.setenv("POLICY_TABLE_DIR", str(tmp_path))
    monkeypatch.setattr(tables, "LOAD_ALL_AFTER", 2)
    table = open_table("t", "k2", lambda: ({"机器": 0, "机器人": 50}.items(), 50))
    assert table is not None
    assert [table.get(w) for w in ("无", "机器", "机器人", "又无", "无")] == [None, 0, 50, None, None]
    assert table._complete and table._queries == 3


def test_a_changed_source_names_another_table(tmp_path: Path) -> None:
    source = tmp_path / "dict.txt"
    source.write_text("机器人 50 n\n", encoding="utf-8")
    first = content_key("jieba 1", [source])
    source.write_text("机器人 510 n\n", encoding="utf-8")
    second = content_key("jieba 1", [source])
    assert second != first != content_key("jieba 2", [source])
    os.utime(source, ns=(1, 1))  # the same bytes installed again
    assert content_key("jieba 1", [source]) not in (first, second)


def test_tokens_and_weights_from_the_tables_equal_the_dictionaries() -> None:
    """The process uses the tables (a writable cache); a tokenizer over jieba's full dictionary
    and wordfreq's own lists give the same tokens and weights."""
    import jieba
    from wordfreq import get_frequency_dict

    from assistant.lang.tables import WordTable

    base = lexical._base_tokenizer()
    assert isinstance(base.FREQ, WordTable)
    full = jieba.Tokenizer()
    lexical._load_jieba_dictionary(full)
    assert base.total == full.total
    root = Path(__file__).resolve().parent.parent
    files = sorted(root.glob("corpus/*.txt")) + sorted((root / "tests" / "fixtures" / "library").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8")[:6000] for p in files[:4]]
    assert len(texts) == 4
    texts += ["人形机器人首台套销售额3000万元补助多少?", "揭膀挂帅项目怎么申报", "Is there a subsidy for robots?"]
    for text in texts:
        assert list(base.cut(text)) == list(full.cut(text))
        assert list(base.cut_for_search(text)) == list(full.cut_for_search(text))
    spec = lexical.specificity()
    for lang, words in (("zh", ["政策", "机器人", "揭榜挂帅", "问下", "摇号"]), ("en", ["robot", "subsidy", "the"])):
        table, plain = spec._table(lang), get_frequency_dict(lang)
        assert isinstance(table, WordTable)
        assert [table.get(w) for w in words] == [plain.get(w) for w in words]
