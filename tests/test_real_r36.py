"""R36's near misses (real documents, issue 17): what a named document cannot state — a figure of a
thing its page never writes, when the page stops early or holds only the notice around the plan; a
plan the notice only names among those it issues — and a word for the text itself (那篇文章) is never
a thing it lacks."""

from __future__ import annotations

import shutil

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.ingest.library import add_document

from .conftest import CORPUS, FIXTURES, FakeEmbeddings

R36 = FIXTURES / "real-r36"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("r36")
    shutil.copytree(CORPUS, root / "corpus")
    for name in ("sichuan_yuanyuzhou.html", "huzhou_yihao.txt", "zhejiang_xinxifuwu.html"):
        add_document(root / "corpus", R36 / name)
    return Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                     embeddings=FakeEmbeddings())


def test_a_figure_of_a_thing_a_notice_only_page_never_writes(library: Assistant) -> None:
    """四川's page holds the news lead and the notice, not the plan: its 产业规模 target is not stated;
    the count of tasks the lead gives (18条主要任务) is."""
    absent = library.ask("四川元宇宙产业发展行动计划提出到2025年全省元宇宙相关产业规模达到多少?")
    assert not absent.found and "规模的具体数值" in absent.answer
    stated = library.ask("四川元宇宙产业发展行动计划一共提出了多少条主要任务?")
    assert stated.found and stated.citations[0].doc_id == "sichuan_yuanyuzhou"


def test_a_plan_the_notice_only_names_is_not_held(library: Assistant) -> None:
    """湖委办〔2023〕17号 issues three plans and the page holds one: the 营商环境 plan's tasks are not
    stated; which plans it issued is (the notice)."""
    other = library.ask("湖委办〔2023〕17号里的营商环境优化提升“一号改革工程”具体有哪些改革任务?")
    assert not other.found and "营商环境优化提升" in other.answer
    listed = library.ask("湖委办〔2023〕17号这个文件一共印发了哪几个实施方案?")
    assert listed.found and (listed.citations[0].doc_id, listed.citations[0].article) == ("huzhou_yihao", 0)


def test_a_word_for_the_text_itself_is_no_thing_it_lacks(library: Assistant) -> None:
    answer = library.ask("浙江信息服务业稳进提质那篇文章的导读里说到2027年累计建成多少5G基站?")
    assert answer.found and answer.citations[0].doc_id == "zhejiang_xinxifuwu"
    assert "29万个" in answer.answer


def test_an_english_question_names_its_city_by_pinyin(library: Assistant) -> None:
    """Web round 23: "…in Hangzhou?" is a question about 杭州 — its near miss names 杭州's document,
    not 湖州's notice that ranked first."""
    from assistant.retrieve.doc_places import place_index

    places = place_index(library.corpus)
    assert [p.name for p in places.most_specific("Any rent subsidy for robot companies in Hangzhou?")] == ["杭州市"]
    assert places.most_specific("hangzhouese food") == []
    answer = library.ask("Is there a rent subsidy for robot companies renting office space in Hangzhou?")
    assert not answer.found
    assert answer.answer.startswith("《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》 (Implementation")
