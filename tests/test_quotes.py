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
