"""Readers built on the twelfth session's unseen rounds (AY, R46, web round 30) and what they
showed: each case failed before its mechanism (the rounds themselves stay in the gate with their
exact known failures)."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.lang.text import book_title

from .conftest import FakeEmbeddings, seed_with


def test_a_title_inside_a_title_takes_the_inner_marks() -> None:
    assert book_title("《青岛市支持具身智能机器人产业发展若干政策措施》政策解读") \
        == "《〈青岛市支持具身智能机器人产业发展若干政策措施〉政策解读》"
    assert book_title("杭州市数字经济促进条例") == "《杭州市数字经济促进条例》"


def test_an_explanation_titled_by_its_policy_is_cited_with_nested_marks(tmp_path: Path) -> None:
    """A 解读 titled 《…》政策解读 was cited as 《《…》政策解读》."""
    corpus, _ = seed_with(tmp_path, {
        "jiedu.txt": "《青岛市支持具身智能机器人产业发展若干政策措施》政策解读\n一、出台背景\n"
                     "为抢抓具身智能发展机遇,制定本措施。\n二、主要内容\n对具身智能整机企业给予研发费用补助。\n"})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    answer = bot.ask("青岛具身智能政策解读的出台背景是什么?")
    assert "《〈青岛市支持具身智能机器人产业发展若干政策措施〉政策解读》" in answer.answer
    assert "《《" not in answer.answer
