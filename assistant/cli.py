"""The `policy-assistant` command line. Library errors become one-line messages and exit code 2."""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path
from typing import Any, Callable

import click

from .errors import PolicyAssistantError
from .lang.text import book_title, loads


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
    names = {"parse": "解析条文", "embed": "计算向量", "lexical": "词法索引", "bridge": "英文词桥",
             "store": "写入 Chroma"}

    def show(stage: str, done: int, total: int) -> None:
        click.echo(f"\r[index] {names.get(stage, stage)} {done}/{total}", nl=done >= total, err=True)

    return show


def _settings() -> Any:
    from .config import load_settings

    return load_settings()


def _corpus(settings: Any = None) -> Any:
    """The library, from the parses the index keeps when they are still current."""
    from .index.policy_index import documents_cache
    from .ingest.corpus import Corpus

    settings = settings or _settings()
    return Corpus.load(settings.corpus_dir, documents_cache(settings))


def _assistant(**kwargs: Any) -> Any:
    from .answer.chain import Assistant

    return Assistant(_settings(), progress=_progress(), **kwargs)


PLUGIN_GROUP = "policy_assistant.commands"
"""Entry-point group of commands other packages add (the web app's `serve` lives in `ui/`, above
this package, and is found here by name instead of imported)."""


class _Commands(click.Group):
    """The CLI's commands and those of installed plugins, each loaded only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *(ep.name for ep in _plugins())})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        found = next((ep for ep in _plugins() if ep.name == cmd_name), None)
        return found.load() if found is not None else None


def _plugins() -> tuple[Any, ...]:
    from importlib.metadata import entry_points

    return tuple(entry_points(group=PLUGIN_GROUP))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policy-assistant")
def cli() -> None:
    """Answers questions about Hangzhou's intelligent-robot industry policies, with citations."""


@cli.command()
@click.option("--rebuild/--if-stale", default=True, show_default=True,
              help="Embed everything again, or only what changed.")
@friendly
def index(rebuild: bool) -> None:
    """Build or update the index (Chroma + BM25) from corpus/."""
    from .index.embeddings import make_embeddings
    from .index.policy_index import open_index

    settings = _settings()
    idx = open_index(settings, make_embeddings(settings), rebuild=rebuild, progress=_progress())
    m = idx.manifest
    click.echo(f"index: {len(idx.corpus.documents)} documents, {m.get('n_articles')} articles, "
               f"{m.get('n_chunks')} chunks ({m.get('embedded', 0)} embedded, {m.get('deleted', 0)} "
               f"removed), model {m.get('embedding_model')}, {m.get('build_seconds', '?')} s "
               f"→ {settings.index_dir}")


def print_answer(answer: Any) -> None:
    """The readable form of an answer for a terminal."""
    click.echo(answer.answer)
    if answer.citations and answer.lang == "en":
        from .answer.compose import english_departments, english_display
        from .lang.language import message

        click.echo("\n" + message("sources"))
        for c in answer.citations:
            depts = message("source_departments", departments=english_departments(c.departments)) \
                if c.departments else ""
            click.echo("  " + message("source_line", doc=book_title(c.doc_title), article=english_display(c),
                                      departments=depts))
    elif answer.citations:
        click.echo("\n来源:")
        for c in answer.citations:
            depts = f"(责任单位:{'、'.join(c.departments)})" if c.departments else ""
            click.echo(f"  {book_title(c.doc_title)}{c.display}{depts}")


def _embed_early(question: str) -> None:
    """Load the embedding model and embed the question in a second thread while this one loads
    the rest of the assistant: the engine computes outside the GIL, so on a second core a cold
    `ask` no longer waits for it after its imports. Retrieval then finds the vector in the query
    cache (or, when it embeds a corrected text, at least the model loaded). Any failure here is
    left to retrieval, which makes the same call and reports it."""
    import threading

    def embed() -> None:
        try:
            from .index.encoders import query_encoder

            encoder = query_encoder(_settings())
            if encoder is not None:
                encoder.embed_query(question)
        except Exception:  # noqa: BLE001 - retrieval's own call reports it
            pass

    threading.Thread(target=embed, name="embed-early").start()


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the CONTRACT.md JSON object.")
@friendly
def ask(question: str, as_json: bool) -> None:
    """Answer one QUESTION."""
    from .answer.chain import validate_question
    from .lang.lexical import bulk_load

    validate_question(question)  # fail before loading anything
    _embed_early(question)
    with bulk_load():  # what a one-question process loads lives until it ends: no GC passes over it
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
    from .ops.evaluation import evaluate, load_questions

    questions = load_questions(file)
    report = evaluate(questions, _assistant())
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
    corpus = _corpus()
    if doc_id and corpus.document(doc_id) is None:
        raise UserError(f"no document {doc_id!r}; documents: "
                        f"{', '.join(d.doc_id for d in corpus.documents)}")
    for d in corpus.documents:
        if doc_id and d.doc_id != doc_id:
            continue
        status = f" [{d.status}]" if d.status else ""
        click.echo(f"{book_title(d.title)}{status} ({d.doc_id})")
        for a in d.articles:
            depts = f"  ({'、'.join(a.departments)})" if a.departments else ""
            click.echo(f"  {a.number:>3}  {a.display}{depts}")


# --- the policy library -----------------------------------------------------------------------
def _sync_quietly_or_progress() -> None:
    from .index.embeddings import make_embeddings
    from .index.policy_index import sync_index

    settings = _settings()
    idx = sync_index(settings, make_embeddings(settings), progress=_progress())
    m = idx.manifest
    click.echo(f"index: {len(idx.corpus.documents)} documents, {m.get('n_chunks')} chunks "
               f"({m.get('embedded', 0)} embedded, {m.get('deleted', 0)} removed)")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--meta", "meta", multiple=True, metavar="KEY=VALUE",
              help="Override a metadata field (title, doc_id, doc_number, status, date, issuer, "
                   "contact, jurisdiction, aliases, supersedes, …); repeatable.")
@click.option("--index/--no-index", "update_index", default=True, show_default=True,
              help="Update the index right away (only the new document is embedded).")
@friendly
def add(file: Path, meta: tuple[str, ...], update_index: bool) -> None:
    """Add a policy document (.txt, .docx, .pdf or .html) to the corpus."""
    from .index.policy_index import documents_cache
    from .ingest.library import add_document, parse_meta_options

    settings = _settings()
    added = add_document(settings.corpus_dir, file, parse_meta_options(meta), documents_cache(settings))
    m = added.meta
    facts = " ".join(filter(None, [m.doc_number, m.status, str(m.date) if m.date else ""]))
    click.echo(f"{'updated' if added.replaced else 'added'} {added.doc_id}: {book_title(m.title or '')} {facts} "
               f"({added.articles} articles) → {added.text_path}")
    if m.supersedes:
        click.echo(f"replaces: {', '.join(m.supersedes)}")
    for warning in added.warnings:
        click.echo(f"warning: {warning}", err=True)
    if update_index:
        _sync_quietly_or_progress()
    _library_changed()


def _library_changed() -> None:
    """Instances sharing a database (POLICY_DATABASE_URL) reload the library within
    `library_poll_seconds` of this."""
    from .ops.store import library_changed

    settings = _settings()
    if settings.database_url or settings.shared_state:
        version = library_changed(settings)
        if version is not None:
            click.echo(f"library version {version}: instances sharing the database reload it")


@cli.command()
@click.argument("doc_id")
@click.option("--index/--no-index", "update_index", default=True, show_default=True)
@friendly
def remove(doc_id: str, update_index: bool) -> None:
    """Remove document DOC_ID from the corpus."""
    from .ingest.library import remove_document

    removed = remove_document(_settings().corpus_dir, doc_id)
    click.echo(f"removed {doc_id} ({', '.join(p.name for p in removed)})")
    if update_index:
        _sync_quietly_or_progress()
    _library_changed()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@friendly
def docs(as_json: bool) -> None:
    """List the documents of the library with 文号, status and dates."""
    corpus = _corpus()
    for d in corpus.documents:
        m = d.meta
        if as_json:
            click.echo(json.dumps(corpus.describe(d), ensure_ascii=False))
            continue
        dates = m.dates()
        newer = corpus.superseded_by.get(d.doc_id)
        click.echo("\t".join([d.doc_id, book_title(d.title), m.doc_number or "—", m.status or "状态未注明",
                               ",".join(dates) or "—"] + ([f"已被 {newer} 取代"] if newer else [])))


# --- calculators: one command per rule of the rule book ----------------------------------------
def _show_calculation(calc: Any, as_json: bool) -> None:
    from .answer.compose import calculation_markdown

    if as_json:
        click.echo(json.dumps(calc.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(calculation_markdown(calc))
    corpus = _corpus()
    art = corpus.article(calc.doc_id, calc.article)
    if art is not None:
        click.echo(f"\n依据:{book_title(corpus.title_of(calc.doc_id))}{art.display}\n{art.text}")


def _rule_command(rule: Any) -> click.Command:
    """`calc RULE`: options from the rule's amount fields and conditions."""
    params: list[click.Parameter] = []
    if rule.amount is not None and rule.needs_amount:
        params.append(click.Option([f"--{rule.amount.option}", "amount"], required=True,
                                   help=f"{rule.amount.label}(如 3000万、1.2亿元)"))
    if rule.excluded is not None:
        params.append(click.Option([f"--{rule.excluded.option}", "excluded"], default=None,
                                   help=f"其中{rule.excluded.label}"))
    for c in rule.conditions:
        negative = c.negative_option or f"not-{c.flag}"
        params.append(click.Option([f"--{c.flag}/--{negative}", c.name], default=None,
                                   help=f"{c.label}(不确定时省略)"))
    params.append(click.Option(["--json", "as_json"], is_flag=True, help="Print the calculation as JSON."))

    @friendly
    def run(amount: str | None = None, excluded: str | None = None, as_json: bool = False,
            **conditions: bool | None) -> None:
        from .lang.amounts import parse_amount

        yuan = parse_amount(amount, rule.amount_label) if amount is not None else None
        excl = parse_amount(excluded, rule.excluded_label, allow_zero=True) if excluded else 0
        calc = _assistant().calculate(rule.id, yuan, excl, conditions)
        _show_calculation(calc, as_json)

    return click.Command(rule.cli, params=params, callback=run,
                         help=f"第{rule.article}条 {rule.name}({rule.doc_id})",
                         short_help=rule.name)


class CalcGroup(click.Group):
    """The rule book's calculators as subcommands, by CLI name, id or alias."""

    def _book(self) -> Any:
        from .calc.calculators import rulebook_for

        return rulebook_for(_settings().corpus_dir)

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            return [r.cli for r in self._book().rules]
        except PolicyAssistantError:
            return []

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        try:
            rule = self._book().get(name)
        except PolicyAssistantError as exc:
            raise UserError(str(exc)) from exc
        return _rule_command(rule)


@cli.group(cls=CalcGroup, invoke_without_command=True)
@click.option("--list", "show", is_flag=True, help="List the calculators.")
@click.pass_context
@friendly
def calc(ctx: click.Context, show: bool) -> None:
    """Subsidy calculators from the rule books (amounts like 3000万, 1.2亿元 or 30000000)."""
    if ctx.invoked_subcommand is not None:
        return
    from .calc.calculators import rulebook_for

    book = rulebook_for(_settings().corpus_dir)
    if not show:
        click.echo(ctx.get_help())
        return
    for r in book.rules:
        names = ", ".join(dict.fromkeys([r.cli, r.id, *r.aliases]))
        click.echo(f"{names}\t第{r.article}条 {r.name} ({r.doc_id})")


# --- 政策体检 -------------------------------------------------------------------------------------
@cli.command()
@click.argument("profile", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--text", default=None, help="The enterprise described in words (Chinese).")
@click.option("--json", "as_json", is_flag=True, help="Print the CONTRACT.md JSON object.")
@click.option("--report", "report", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a report (.pdf or .md).")
@click.option("--fields", is_flag=True, help="List the profile fields of this library and exit.")
@friendly
def match(profile: Path | None, text: str | None, as_json: bool, report: Path | None, fields: bool) -> None:
    """Every support an enterprise can claim (from PROFILE.json or --text)."""
    from .calc.calculators import rulebook_for
    from .match.matching import Matcher, MatchError, summary_markdown

    settings = _settings()
    matcher = Matcher(_corpus(settings), rulebook_for(settings.corpus_dir))
    if fields:
        for f in matcher.schema.fields.values():
            click.echo(f"{f.name}\t{'amount (元)' if f.kind == 'amount' else 'true/false'}\t{f.label}")
        return
    if (profile is None) == (text is None):
        raise UserError("give either a PROFILE.json file or --text \"…\" (one of them)")
    if text is not None:
        if not text.strip():
            raise UserError("--text is empty: describe the enterprise")
        result = matcher.match_text(text)
    else:
        assert profile is not None  # exactly one of the two is given (checked above)
        try:
            data = loads(profile.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{profile}: cannot read the profile ({exc})") from exc
        except ValueError as exc:
            raise UserError(f"{profile}: not valid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise UserError(f"{profile}: the profile must be a JSON object")
        if isinstance(data.get("profile"), dict):
            data = data["profile"]
        try:
            data = matcher.validate(data)
        except MatchError as exc:
            raise UserError(f"{profile}: {exc}") from exc
        result = matcher.match(data)
    if report is not None:
        from .match.report import write_report

        labels = {f.name: f.label for f in matcher.schema.fields.values()}
        write_report(result, report, labels, settings.pdf_font or None)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary_markdown(result))
    if report is not None:
        click.echo(f"report → {report}", err=True)


# --- logs ---------------------------------------------------------------------------------------
@cli.group()
def logs() -> None:
    """Answer logs and feedback kept by the web app."""


def _store() -> Any:
    from .ops.feedback import FeedbackStore

    return FeedbackStore.from_settings(_settings())


@logs.command("export")
@click.option("--csv", "dest", required=True, type=click.Path(dir_okay=False), help="CSV file to write.")
@click.option("--unanswered", is_flag=True, help="Only questions answered with found=false.")
@friendly
def logs_export(dest: str, unanswered: bool) -> None:
    """Export logged answers with their feedback as CSV (UTF-8, opens in Excel)."""
    n = _store().export_csv(Path(dest), only_unanswered=unanswered)
    click.echo(f"{n} rows → {dest}")


@logs.command("unanswered")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100000))
@friendly
def logs_unanswered(limit: int) -> None:
    """List questions the corpus did not cover (what it is missing)."""
    for r in _store().rows(only_unanswered=True, limit=limit):
        click.echo(f"{r['created_at']}  {r['question']}")


@cli.command()
@friendly
def chat() -> None:
    """Ask questions in a terminal loop (empty line or Ctrl-D to quit)."""
    from .answer.chain import Conversation

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
    """The `policy-assistant` program (a process of its own: tests call `cli`)."""
    import gc

    try:
        cli(prog_name="policy-assistant")
    finally:
        gc.freeze()  # the process ends now: no collection pass over all it loaded (~0.05 s of a cold ask)


if __name__ == "__main__":  # pragma: no cover
    main()
