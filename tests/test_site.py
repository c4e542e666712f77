"""The library's own texts (`corpus/site.json`): the page's title, placeholders and examples, the
persona a language model is given, the example of what a 政策体检 needs and the local short forms
of a place are read from the library, never from the package; a library without the file works,
with a title from its first document and neutral texts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.answer.chain import Assistant
from assistant.answer.compose import match_answer
from assistant.answer.llm import build_messages
from assistant.config import load_settings
from assistant.errors import CorpusError
from assistant.ingest.corpus import Corpus
from assistant.ingest.library import add_document
from assistant.ingest.site import SITE_FILE, load_site
from assistant.match.matching import MatchResult
from assistant.ops.feedback import FeedbackStore
from ui.handlers import Handlers

from .conftest import CORPUS, FIXTURES, FakeEmbeddings

HUMANOID = FIXTURES / "real" / "hz-humanoid-measures-2024.docx"


def _copy(tmp_path: Path, **changes: object) -> Path:
    """A copy of the seed library with site.json changed (None for a key: the file removed)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    site = corpus / SITE_FILE
    if changes.get("remove"):
        site.unlink()
    elif changes:
        data = json.loads(site.read_text(encoding="utf-8")) | changes
        site.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return corpus


def _handlers(corpus: Path, tmp_path: Path) -> Handlers:
    settings = load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index",
                                     db_path=tmp_path / "fb.sqlite3")
    return Handlers(Assistant(settings, embeddings=FakeEmbeddings()), FeedbackStore(settings.db_path))


def _no_match(corpus: Corpus) -> str:
    ctx = SimpleNamespace(match=MatchResult({}, []), corpus=corpus, user_question="q")
    return match_answer(ctx).answer  # type: ignore[arg-type]


def _persona(corpus: Corpus) -> str:
    ctx = SimpleNamespace(user_question="q", asked="", question="q", calculation=None, notes=(),
                          corpus=corpus)
    return build_messages(ctx, [])[0].content  # type: ignore[arg-type]


def test_the_seed_texts_come_from_its_site_file() -> None:
    site = Corpus.load(CORPUS).site
    assert site.title == "杭州智能机器人政策助手" and len(site.examples) == 7
    assert site.short_forms == {"杭州": ("在杭",)}


def test_a_library_without_site_json_works_with_derived_texts(tmp_path: Path) -> None:
    corpus = _copy(tmp_path, remove=True)
    lib = Corpus.load(corpus)
    assert lib.site.title == lib.site.heading == "杭州智能机器人实施意见(征求意见稿)"  # the document's short title
    assert lib.site.examples == () and "杭州" not in lib.site.location_label + lib.site.persona
    assert "杭州" not in _no_match(lib) and "人形机器人" not in _no_match(lib)
    assert _persona(lib).startswith("你是政策咨询助手。")
    h = _handlers(corpus, tmp_path)
    assert h.assistant.ask("第十六条的内容是什么?").citations[0].article == 16
    from ui.app import build_app

    assert build_app(h).config["title"] == "杭州智能机器人实施意见(征求意见稿)"
    # a new document gets no local short form the library does not give
    assert "在杭" not in add_document(corpus, HUMANOID).meta.jurisdiction


def test_the_page_and_answers_read_the_texts_from_site_json(tmp_path: Path) -> None:
    corpus = _copy(tmp_path, title="某市政策助手", examples=["某个示例问题?"],
                   checkup_hint="所在地和主营产品", persona="某市政策咨询助手",
                   location_label="企业注册地(如 某市某区)", short_forms={"杭州": ["杭城"]})
    lib = Corpus.load(corpus)
    assert _no_match(lib).endswith("请补充企业情况,例如:所在地和主营产品。")
    assert _persona(lib).startswith("你是某市政策咨询助手。")
    h = _handlers(corpus, tmp_path)
    assert h.site().heading == "杭州市智能机器人产业政策助手"  # what was not changed stays
    from ui.app import build_app

    config = build_app(h).config
    assert config["title"] == "某市政策助手"
    shown = json.dumps(config["components"], ensure_ascii=False, default=str)
    assert "某个示例问题?" in shown and "企业注册地(如 某市某区)" in shown
    assert "人形机器人首台套销售额3000万元补助多少?" in shown  # the question placeholder kept
    jurisdiction = add_document(corpus, HUMANOID).meta.jurisdiction
    assert "杭城" in jurisdiction and "在杭" not in jurisdiction


def test_the_seed_keeps_its_words(tmp_path: Path) -> None:
    lib = Corpus.load(CORPUS)
    assert "首台套产品对非关联方销售额" in _no_match(lib)
    assert _persona(lib).startswith("你是杭州市智能机器人产业政策咨询助手。")
    assert "在杭" in add_document(_copy(tmp_path), HUMANOID).meta.jurisdiction


def test_a_broken_site_file_is_named(tmp_path: Path) -> None:
    corpus = _copy(tmp_path, titel="typo")
    with pytest.raises(CorpusError, match="site.json"):
        load_site(corpus)


def test_the_dashboard_share_chart_gives_each_result_its_colour(tmp_path: Path) -> None:
    """Web rounds 20–22: 已解答 / 未覆盖 drew both bars in one colour; each result has its own, as in 每日提问."""
    from ui.app import build_app

    h = _handlers(_copy(tmp_path), tmp_path)
    config = build_app(h, staff=True).config
    share = next(c for c in config["components"] if c.get("props", {}).get("elem_id") == "pa-dash-share")
    assert share["props"].get("color") == "结果"
