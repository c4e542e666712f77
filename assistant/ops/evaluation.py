"""Question files (CONTRACT.md) and the metrics `policy-assistant eval` reports.

Extension: a question may carry `"after": "<id>"`; it is then asked in the same conversation right
after that question (a dialogue turn such as “它的责任单位是谁?”).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..answer.conversation import Conversation
from ..errors import PolicyAssistantError
from ..models import Answer
from ..lang.text import loads

QuestionKind = Literal["lookup", "amount", "out_of_scope"]
KINDS: tuple[str, ...] = ("lookup", "amount", "out_of_scope")


class QuestionFileError(PolicyAssistantError):
    """A question file is unreadable or a line does not follow CONTRACT.md."""


class Question(BaseModel):
    """One line of a question file."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(min_length=1)
    kind: QuestionKind
    question: str
    articles: list[int] = []
    """Acceptable article numbers (any one counts)."""
    doc_id: str | None = None
    """When set, only citations of this document count."""
    eligible: bool | None = None
    amount_yuan: int | None = None
    after: str | None = None
    """Id of the question this one follows in a conversation."""

    @model_validator(mode="before")
    @classmethod
    def _coerce_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("id"), (int, float)):
            data = dict(data, id=str(data["id"]))
        return data


def load_questions(path: str | Path) -> list[Question]:
    """Parse a JSON Lines question file; errors name the file, the line and the field."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionFileError(f"{path}: cannot read the question file ({exc})") from exc
    out: list[Question] = []
    ids: set[str] = set()
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{no}"
        try:
            raw = loads(line)
        except ValueError as exc:
            raise QuestionFileError(f"{where}: not valid JSON ({exc.args[0]})") from exc
        if not isinstance(raw, dict):
            raise QuestionFileError(f"{where}: each line must be a JSON object")
        missing = [k for k in ("id", "kind", "question") if k not in raw]
        if missing:
            raise QuestionFileError(f"{where}: missing {', '.join(missing)}")
        try:
            q = Question.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = ".".join(str(p) for p in err.get("loc", ())) or "line"
            if name == "kind":
                raise QuestionFileError(f"{where}: kind must be one of {', '.join(KINDS)}") from exc
            if name.startswith("articles"):
                raise QuestionFileError(f"{where}: articles must be a list of integers") from exc
            raise QuestionFileError(f"{where}: {name}: {err.get('msg')}") from exc
        if q.after is not None and q.after not in ids:
            raise QuestionFileError(f"{where}: after names {q.after!r}, which is not an earlier question")
        ids.add(q.id)
        out.append(q)
    if not out:
        raise QuestionFileError(f"{path}: no questions in the file")
    return out


def _rank(q: Question, answer: Answer) -> int | None:
    """1-based rank of the first acceptable citation, or None."""
    for i, c in enumerate(answer.citations, 1):
        if c.article in q.articles and (q.doc_id is None or c.doc_id == q.doc_id):
            return i
    return None


@dataclass
class Report:
    """Metrics over a question file, as CONTRACT.md names them."""

    n: int = 0
    hit_at_1: float = 0.0
    hit_at_3: float = 0.0
    mrr: float = 0.0
    amount_accuracy: float | None = None
    out_of_scope_accuracy: float | None = None
    false_rejections: int = 0
    out_of_scope_gap_stated: int = 0
    """Out-of-scope questions answered (found) but with the gap stated (`gaps`): a near miss
    handled, though not refused."""
    failures: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failing_ids(self) -> set[str]:
        return {f["id"] for f in self.failures}

    def summary(self) -> dict[str, Any]:
        return {"n": self.n, "hit_at_1": self.hit_at_1, "hit_at_3": self.hit_at_3, "mrr": self.mrr,
                "amount_accuracy": self.amount_accuracy,
                "out_of_scope_accuracy": self.out_of_scope_accuracy,
                "false_rejections": self.false_rejections,
                "out_of_scope_gap_stated": self.out_of_scope_gap_stated, "failures": self.failures}


Ask = Callable[..., Answer]
"""`ask(question)` or `ask(question, conversation)` (an `Assistant.ask`)."""


def evaluate(questions: Iterable[Question], ask: Ask | Any) -> Report:
    """Ask every question (follow-ups in their conversation) and score the answers."""
    if hasattr(ask, "ask"):
        ask = ask.ask
    questions = list(questions)
    followed = {q.after for q in questions if q.after}
    conversations: dict[str, Conversation] = {}
    rep = Report()
    ranked = h1 = h3 = 0
    rr = 0.0
    amounts = amount_ok = oos = oos_ok = 0
    for q in questions:
        rep.n += 1
        conv = conversations.get(q.after) if q.after else (Conversation() if q.id in followed else None)
        if conv is not None:
            conversations[q.id] = conv
        try:
            a = ask(q.question, conv) if conv is not None else ask(q.question)
        except PolicyAssistantError as exc:  # one bad answer must not end the evaluation
            a = Answer(q.question, f"error: {exc}", False)
        got = [c.article for c in a.citations]
        calc = a.calculation
        row: dict[str, Any] = {"id": q.id, "kind": q.kind, "found": a.found, "articles": got[:3],
                               "expected": q.articles, "ok": True}
        if q.kind == "out_of_scope":
            oos += 1
            ok = not a.found
            oos_ok += ok
            rep.out_of_scope_gap_stated += bool(a.found and a.gaps)
            row["ok"] = ok
            if a.gaps:
                row["gaps"] = list(a.gaps)
        else:
            ranked += 1
            rank = _rank(q, a)
            h1 += rank == 1
            h3 += rank is not None and rank <= 3
            rr += 1 / rank if rank else 0.0
            if not a.found:
                rep.false_rejections += 1
            row["ok"] = rank == 1
            if q.kind == "amount":
                amounts += 1
                got_e = calc.eligible if calc else None
                got_amt = calc.amount_yuan if calc else None
                ok = got_e == q.eligible and got_amt == q.amount_yuan
                amount_ok += ok
                row.update(eligible=got_e, amount_yuan=got_amt,
                           expected_amount=q.amount_yuan, ok=row["ok"] and ok)
        rep.rows.append(row)
        if not row["ok"]:
            rep.failures.append({k: v for k, v in row.items() if k != "ok"}
                                | {"question": q.question})
    rep.hit_at_1 = round(h1 / ranked, 4) if ranked else 0.0
    rep.hit_at_3 = round(h3 / ranked, 4) if ranked else 0.0
    rep.mrr = round(rr / ranked, 4) if ranked else 0.0
    rep.amount_accuracy = round(amount_ok / amounts, 4) if amounts else None
    rep.out_of_scope_accuracy = round(oos_ok / oos, 4) if oos else None
    return rep


# --- 政策体检 descriptions -------------------------------------------------------------------------
@dataclass
class ProfileReport:
    """Labelled descriptions (`{"id", "text" | "profile", "expected": [[article, status, amount]]}`):
    each expected item is one check (status and amount of that article right)."""

    n: int = 0
    checks: int = 0
    right: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failing_ids(self) -> set[str]:
        return {f["id"] for f in self.failures}

    def summary(self) -> dict[str, Any]:
        return {"n": self.n, "checks": self.checks, "right": self.right, "failures": self.failures}


def load_profile_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                case = json.loads(line)
            except ValueError as exc:
                raise QuestionFileError(f"{path}:{i}: not JSON ({exc})") from None
            if not isinstance(case, dict) or "expected" not in case or not (
                    "text" in case or "profile" in case):
                raise QuestionFileError(f"{path}:{i}: a description needs `expected` and `text` or `profile`")
            cases.append(case)
    return cases


def evaluate_profiles(cases: Iterable[dict[str, Any]], matcher: Any) -> ProfileReport:
    """Run every description through 政策体检 and count the expected items it gets right."""
    rep = ProfileReport()
    for case in cases:
        rep.n += 1
        try:
            profile = matcher.from_text(case["text"]) if "text" in case else case["profile"]
            items = {i.article: (i.status, i.amount_yuan) for i in matcher.match(profile).items}
        except PolicyAssistantError as exc:
            profile, items = {"error": str(exc)}, {}
        wrong = []
        for article, status, amount in case["expected"]:
            rep.checks += 1
            if items.get(article) == (status, amount):
                rep.right += 1
            else:
                wrong.append({"article": article, "expected": [status, amount],
                              "got": list(items[article]) if article in items else None})
        if wrong:
            rep.failures.append({"id": case["id"], "wrong": wrong, "profile": profile})
    return rep
