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
