"""Every citation's quote is copied verbatim from the cited article (checked on every dev question)."""

from __future__ import annotations

import pytest

from assistant.ops.evaluation import load_questions

from .conftest import CALIBRATION, DEV

QUESTIONS = load_questions(DEV) + load_questions(CALIBRATION)


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_quotes_are_verbatim(assistant, q) -> None:
    answer = assistant.ask(q.question)
    for c in answer.citations:
        article = assistant.index.article(c.doc_id, c.article)
        assert c.quote and c.quote in article.text, (c.article, c.quote)
        assert c.title == article.title and c.departments == list(article.departments)
    if answer.found:
        assert answer.citations and f"{answer.citations[0].quote}" in answer.answer


def test_an_article_asked_for_whole_is_quoted_whole(assistant) -> None:  # noqa: ANN001
    """第十六条的内容是什么: every sentence of 第16条, its last (鼓励在杭科研院所…科创平台) too."""
    quote = assistant.ask("第十六条的内容是什么?").citations[0].quote
    assert quote.startswith("建设杭州市智能机器人产业创新中心") and quote.endswith("建设或引进一批开放共享的科创平台。")


def test_a_long_texts_own_topic_words_do_not_pick_its_quote() -> None:
    """R27 (武汉's news page, one unit): asked for the scene provider's ratio, the sentence with the
    ratio, not the ones that say 武汉 and 人形机器人 most — words most sentences hold weigh less, and
    a word held verbatim counts where the tokenizer cut it otherwise (提供方); the sentence that
    answers still beats one holding only the year the version is named by (2026年版)."""
    from pathlib import Path

    from assistant.ingest.parsing import parse_policy
    from assistant.ingest.sources import read_source
    from assistant.lang.sentences import best_quote

    page = Path(__file__).parent / "fixtures" / "real-r27" / "r27-wuhan-humanoid-news.html"
    art = parse_policy(read_source(page).text).articles[0]
    quote = best_quote(art, "武汉人形机器人政策对场景提供方按项目投入的多少比例奖励?", prefer_numbers=True)
    assert "30%" in quote
    policies = Path(__file__).parent / "fixtures" / "real-r19" / "r19-hangzhou-jingji-zhengce-2026.txt"
    item = next(a for a in parse_policy(read_source(policies).text).articles if a.label.startswith("一、(一)"))
    assert "好苗子" in best_quote(item, "杭州2026年版政策对“好苗子”企业给多少创业资助?", prefer_numbers=True)
