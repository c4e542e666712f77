"""The `policy-assistant` command line. Library errors become one-line messages and exit code 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from functools import wraps
from typing import Any, Callable

import click

from .errors import PolicyAssistantError


class UserError(click.ClickException):
    """A clear one-line message; exit code 2 as CONTRACT.md asks for bad input."""

    exit_code = 2


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors (and an interrupted index build) into UserError."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PolicyAssistantError as exc:
            raise UserError(str(exc)) from exc
        except BrokenPipeError:  # output piped into `head`: not an error
            sys.stderr.close()
            sys.exit(0)
        except OSError as exc:
            raise UserError(f"{exc.filename or ''}: {exc.strerror or exc}") from exc

    return wrapper


def _progress() -> Callable[[str, int, int], None]:
    names = {"parse": "解析条文", "embed": "计算向量", "lexical": "词法索引", "store": "写入 Chroma"}

    def show(stage: str, done: int, total: int) -> None:
        click.echo(f"\r[index] {names.get(stage, stage)} {done}/{total}", nl=done >= total, err=True)

    return show


def _assistant(**kwargs: Any) -> Any:
    from .chain import make_assistant

    return make_assistant(progress=_progress(), **kwargs)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policy-assistant")
def cli() -> None:
    """Answers questions about Hangzhou's intelligent-robot industry policy, with citations."""


@cli.command()
@click.option("--rebuild/--if-stale", default=True, show_default=True,
              help="Rebuild even when the index is up to date.")
@friendly
def index(rebuild: bool) -> None:
    """Build the index (Chroma + BM25) from corpus/."""
    from .config import load_settings
    from .embeddings import make_embeddings
    from .index import open_index

    settings = load_settings()
    idx = open_index(settings, make_embeddings(settings), rebuild=rebuild, progress=_progress())
    m = idx.manifest
    click.echo(f"index: {m.get('n_articles')} articles, {m.get('n_chunks')} chunks, "
               f"model {m.get('embedding_model')}, built in {m.get('build_seconds', '?')} s "
               f"→ {settings.index_dir}")


def print_answer(answer: Any) -> None:
    """The readable form of an answer for a terminal."""
    click.echo(answer.answer)
    if answer.citations:
        click.echo("\n来源:")
        for c in answer.citations:
            depts = f"(责任单位:{'、'.join(c.departments)})" if c.departments else ""
            click.echo(f"  《{c.doc_title}》第{c.article}条 {c.title}{depts}")


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the CONTRACT.md JSON object.")
@friendly
def ask(question: str, as_json: bool) -> None:
    """Answer one QUESTION."""
    from .chain import validate_question

    validate_question(question)  # fail before loading anything
    answer = _assistant().ask(question)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_answer(answer)


@cli.command(name="eval")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@friendly
def eval_(file: str, as_json: bool) -> None:
    """Score the assistant on a question FILE (JSON Lines, see CONTRACT.md)."""
    from .evaluation import evaluate, load_questions

    questions = load_questions(file)
    assistant = _assistant()
    report = evaluate(questions, assistant.ask)
    if as_json:
        click.echo(json.dumps(report.summary(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{'id':<8}{'kind':<14}{'ok':<4}{'found':<7}{'got':<14}{'expected':<12}amount")
    for r in report.rows:
        amount = ""
        if r["kind"] == "amount":
            amount = f"{r.get('amount_yuan')} / {r.get('expected_amount')}"
        click.echo(f"{r['id']:<8}{r['kind']:<14}{'✓' if r['ok'] else '✗':<4}{str(r['found']):<7}"
                   f"{str(r['articles']):<14}{str(r['expected']):<12}{amount}")
    s = report.summary()
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    click.echo(f"\nn={s['n']}  hit@1={fmt(s['hit_at_1'])}  hit@3={fmt(s['hit_at_3'])}  "
               f"mrr={fmt(s['mrr'])}  amount_accuracy={fmt(s['amount_accuracy'])}  "
               f"out_of_scope_accuracy={fmt(s['out_of_scope_accuracy'])}  "
               f"false_rejections={s['false_rejections']}")
    if report.failures:
        click.echo("failures: " + ", ".join(f["id"] for f in report.failures))


@cli.command()
@click.option("--doc", "doc_id", default=None, help="Only this document.")
@friendly
def articles(doc_id: str | None) -> None:
    """List the articles of every document in the corpus."""
    from .config import load_settings
    from .corpus import load_corpus

    docs = load_corpus(load_settings().corpus_dir)
    if doc_id and doc_id not in {d.doc_id for d in docs}:
        raise UserError(f"no document {doc_id!r}; documents: {', '.join(d.doc_id for d in docs)}")
    for d in docs:
        if doc_id and d.doc_id != doc_id:
            continue
        status = f" [{d.status}]" if d.status else ""
        click.echo(f"《{d.title}》{status} ({d.doc_id})")
        for a in d.articles:
            depts = f"  ({'、'.join(a.departments)})" if a.departments else ""
            click.echo(f"  {a.number:>3}  {a.title}{depts}")


# --- calculators -------------------------------------------------------------------------------
def _show_calculation(calc: Any, as_json: bool) -> None:
    from .compose import calculation_markdown
    from .config import load_settings
    from .corpus import load_corpus

    if as_json:
        click.echo(json.dumps(calc.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(calculation_markdown(calc))
    for doc in load_corpus(load_settings().corpus_dir):
        art = doc.article(calc.article) if doc.doc_id == calc.doc_id else None
        if art:
            click.echo(f"\n依据:《{doc.title}》第{art.number}条 {art.title}\n{art.text}")


def _amount(value: str | None, label: str) -> int | None:
    from .amounts import parse_amount

    return None if value is None else parse_amount(value, label)


def _flag(name: str, help_text: str) -> Callable[[Any], Any]:
    return click.option(f"--{name}/--not-{name}", default=None, help=help_text + " (omit if unknown)")


@cli.group()
def calc() -> None:
    """Subsidy calculators (amounts like 3000万, 1.2亿元, 5000元 or 30000000)."""


@calc.command("first-set")
@click.option("--sales", required=True, help="对非关联方销售额")
@_flag("humanoid", "人形机器人“首台套”产品")
@click.option("--affiliated/--non-affiliated", default=None, help="销售对象是否为关联方")
@click.option("--json", "as_json", is_flag=True)
@friendly
def calc_first_set(sales: str, humanoid: bool | None, affiliated: bool | None, as_json: bool) -> None:
    """第3条 人形机器人首台套补助."""
    from .tools import run_calculator

    calc_ = run_calculator("first_set_subsidy", _amount(sales, "销售额"), humanoid=humanoid,
                           non_affiliated=None if affiliated is None else not affiliated)
    _show_calculation(calc_, as_json)


@calc.command("procurement")
@click.option("--amount", required=True, help="首次采购金额")
@click.option("--affiliated/--non-affiliated", default=None, help="供应商是否为关联企业")
@click.option("--first/--not-first", "first_purchase", default=None, help="是否首次采购")
@_flag("whole-machine", "采购方为在杭整机企业")
@click.option("--json", "as_json", is_flag=True)
@friendly
def calc_procurement(amount: str, affiliated: bool | None, first_purchase: bool | None,
                     whole_machine: bool | None, as_json: bool) -> None:
    """第2条 首次采购奖励."""
    from .tools import run_calculator

    calc_ = run_calculator("procurement_reward", _amount(amount, "采购金额"),
                           non_affiliated=None if affiliated is None else not affiliated,
                           first_purchase=first_purchase, hangzhou_whole_machine=whole_machine)
    _show_calculation(calc_, as_json)


@calc.command("industrialization")
@click.option("--investment", required=True, help="实际投资总额")
@click.option("--excluded", default=None, help="其中土地、厂房、旧设备投资")
@_flag("humanoid", "人形机器人产业化项目")
@_flag("recognized", "经认定具有行业先进水平")
@click.option("--json", "as_json", is_flag=True)
@friendly
def calc_industrialization(investment: str, excluded: str | None, humanoid: bool | None,
                           recognized: bool | None, as_json: bool) -> None:
    """第6条 产业化项目资助."""
    from .tools import run_calculator

    calc_ = run_calculator("industrialization_funding", _amount(investment, "实际投资总额"),
                           _amount(excluded, "土地、厂房、旧设备投资") or 0,
                           humanoid=humanoid, recognized_advanced=recognized)
    _show_calculation(calc_, as_json)


@calc.command("demo-scenario")
@_flag("selected", "项目被评为示范应用场景")
@click.option("--json", "as_json", is_flag=True)
@friendly
def calc_demo_scenario(selected: bool | None, as_json: bool) -> None:
    """第7条 示范应用场景奖励(上限)."""
    from .tools import run_calculator

    _show_calculation(run_calculator("demo_scenario_reward", selected=selected), as_json)


@cli.group()
def logs() -> None:
    """Answer logs and feedback kept by the web app."""


def _store() -> Any:
    from .config import load_settings
    from .feedback import FeedbackStore

    return FeedbackStore(load_settings().db_path)


@logs.command("export")
@click.option("--csv", "dest", required=True, type=click.Path(dir_okay=False), help="CSV file to write.")
@click.option("--unanswered", is_flag=True, help="Only questions answered with found=false.")
@friendly
def logs_export(dest: str, unanswered: bool) -> None:
    """Export logged answers with their feedback as CSV (UTF-8, opens in Excel)."""
    n = _store().export_csv(Path(dest), only_unanswered=unanswered)
    click.echo(f"{n} rows → {dest}")


@logs.command("unanswered")
@click.option("--limit", default=50, show_default=True)
@friendly
def logs_unanswered(limit: int) -> None:
    """List questions the corpus did not cover (what it is missing)."""
    for r in _store().rows(only_unanswered=True, limit=limit):
        click.echo(f"{r['created_at']}  {r['question']}")


@cli.command()
@click.option("--host", default=None, help="Address to listen on (POLICY_UI_HOST).")
@click.option("--port", default=None, type=int, help="Port (POLICY_UI_PORT).")
@friendly
def serve(host: str | None, port: int | None) -> None:
    """Start the web app (builds the index first if needed)."""
    from ui.app import launch

    launch(host=host, port=port, progress=_progress())


@cli.command()
@friendly
def chat() -> None:
    """Ask questions in a terminal loop (empty line or Ctrl-D to quit)."""
    from .chain import Conversation

    assistant = _assistant()
    conversation = Conversation()
    click.echo("输入问题,回车提问(可追问,如“那如果销售额是8亿呢?”);空行或 Ctrl-D 退出。")
    while True:
        try:
            question = input("\n问> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if not question.strip():
            return
        try:
            print_answer(assistant.ask(question, conversation))
        except PolicyAssistantError as exc:
            click.echo(f"[无法回答] {exc}", err=True)


def main() -> None:
    cli(prog_name="policy-assistant")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
