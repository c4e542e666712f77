"""The 智能问答 tab and `/api/ask`, `/api/rate`: conversations per session (bounded in number and
idle time, or in the database when instances share it), a question answered (streamed in the
chat), and the 👍/👎 rating of an answer by whoever got it."""

from __future__ import annotations

import html
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Iterator

from assistant.answer.chain import Assistant, Conversation, validate_question
from assistant.answer.conversation import questions_in
from assistant.errors import PolicyAssistantError
from assistant.lang.text import inert
from assistant.models import Answer
from assistant.ops.feedback import FeedbackStore

from .render import SORRY, WARN, reply_markdown, user_text

if TYPE_CHECKING:
    from .shared import SharedState

log = logging.getLogger("policy-assistant.ui")
MAX_SESSIONS = 1000
"""Conversations kept in memory (the least recently used one is dropped beyond this)."""
SESSION_IDLE_SECONDS = 1800
"""A conversation unused this long is forgotten."""
_SESSION = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ChatHandlers:
    """Questions and their ratings, in sessions."""

    def __init__(self, assistant: Assistant, store: FeedbackStore, shared: SharedState | None) -> None:
        self.assistant = assistant
        self.store = store
        self.shared = shared
        self._sessions: OrderedDict[str, tuple[Conversation, float]] = OrderedDict()
        self._lock = threading.Lock()

    # -- conversations -----------------------------------------------------------------------
    def conversation(self, session_id: str) -> Conversation:
        """The session's conversation (bounded in number and idle time)."""
        if self.shared is not None:
            return self.shared.conversation(session_id)
        now = time.monotonic()
        with self._lock:
            conv, _ = self._sessions.pop(session_id, (None, 0.0))
            conv = conv or Conversation()
            self._sessions[session_id] = (conv, now)
            while self._sessions:
                oldest, (_, used) = next(iter(self._sessions.items()))
                if len(self._sessions) <= MAX_SESSIONS and now - used < SESSION_IDLE_SECONDS:
                    break
                self._sessions.pop(oldest)
            return conv

    @staticmethod
    def new_session() -> str:
        return uuid.uuid4().hex

    def ask(self, question: Any, session_id: Any = "", channel: str = "api") -> dict[str, Any]:
        """One question (in a session when an id is given): the CONTRACT.md answer plus
        `answer_id` and `answer_token` (needed to rate it), or an `error` sentence."""
        session = str(session_id or "").strip()
        if session and not _SESSION.match(session):
            return {"question": question if isinstance(question, str) else "",
                    "error": "session_id 只能包含字母、数字、- 和 _(最长 64 个字符)。"}
        try:
            validate_question(question)
            answer = self.assistant.ask(question, self.conversation(session) if session else None)
        except PolicyAssistantError as exc:
            return {"question": question if isinstance(question, str) else "", "error": str(exc),
                    "session_id": session}
        except Exception:  # noqa: BLE001 - a failing request must not take the app down
            log.exception("answering failed")
            return {"question": question, "session_id": session, "error": SORRY}
        data = answer.to_dict()
        answer_id, token = self._record(answer, session, channel)
        data.update(answer_id=answer_id, answer_token=token, session_id=session,
                    markdown=reply_markdown(answer))
        return data

    def _record(self, answer: Answer, session_id: str, channel: str) -> tuple[int | None, str]:
        """Log an answer; a logging failure never costs the user the answer."""
        try:
            return self.store.log_answer(answer, session_id, channel)
        except PolicyAssistantError:
            log.exception("could not log the answer")
            return None, ""

    # -- chat tab ----------------------------------------------------------------------------
    def chat_stream(self, message: str, history: list[dict[str, Any]] | None, session_id: str,
                    refs: list[list[Any]] | None) -> Iterator[tuple[list[dict[str, Any]], str, list[list[Any]], Any]]:
        """(history, cleared input box, [answer_id, token] per answer, 是/否 buttons visible).
        A language model's text shows as it arrives; the checked answer replaces it. A message
        asking several questions (示范应用场景有什么奖励?一年评几个?) gets one answer each, in
        turn, each headed by its question."""
        history = list(history or [])
        refs = [list(r) for r in (refs or [])]
        if not (message or "").strip():
            yield history, "", refs, False
            return
        history.append({"role": "user", "content": user_text(message)})
        try:
            validate_question(message)
        except PolicyAssistantError as exc:
            history.append({"role": "assistant", "content": f"{WARN}{html.escape(str(exc))}"})
            refs.append([None, "", len(history) - 1])
            yield list(history), "", refs, False
            return
        parts = questions_in(message)
        asks_back = False
        for part in parts:
            head = f"**{html.escape(part)}**\n\n" if len(parts) > 1 else ""
            for step in self._answer_part(part, head, history, refs, session_id):
                history, refs, asks_back = step
                yield list(history), "", refs, False
        yield list(history), "", refs, asks_back

    def _answer_part(self, question: str, head: str, history: list[dict[str, Any]], refs: list[list[Any]],
                     session_id: str) -> Iterator[tuple[list[dict[str, Any]], list[list[Any]], bool]]:
        """One question of a message answered into a bubble of its own (streamed, then the checked
        answer): (history, refs, whether it asks 是/否 back) after each change."""
        history = history + [{"role": "assistant", "content": head + "…"}]
        yield history, refs, False
        answer: Answer | None = None
        try:
            text = ""
            for item in self.assistant.ask_stream(question, self.conversation(session_id)):
                if isinstance(item, Answer):
                    answer = item
                else:
                    text += item
                    history[-1] = {"role": "assistant", "content": head + inert(text) + " ▌"}
                    yield history, refs, False
        except PolicyAssistantError as exc:
            history[-1] = {"role": "assistant", "content": f"{head}{WARN}{html.escape(str(exc))}"}
        except Exception:  # noqa: BLE001
            log.exception("answering failed")
            history[-1] = {"role": "assistant", "content": f"{head}{WARN}{SORRY}"}
        if answer is None:
            refs = refs + [[None, "", len(history) - 1]]
            yield history, refs, False
            return
        answer_id, token = self._record(answer, session_id, "chat")
        refs = refs + [[answer_id, token, len(history) - 1]]
        history[-1] = {"role": "assistant", "content": head + reply_markdown(answer)}
        yield history, refs, answer.clarification is not None

    @staticmethod
    def quick_answers(message: str, history: list[dict[str, Any]] | None) -> tuple[str, str]:
        """The labels of the quick answer buttons, which are also what they send: Yes/No when the
        conversation's last question (not itself a yes or a no) was English, else 是/否."""
        from assistant.answer.conversation import yes_no
        from assistant.lang.language import question_language

        asked = [m.get("content") for m in (history or []) if isinstance(m, dict) and m.get("role") == "user"]
        last = next((q for q in [message, *reversed(asked)] if isinstance(q, str) and yes_no(q) is None), "")
        return ("Yes", "No") if last and question_language(last) == "en" else ("是", "否")

    def chat(self, message: str, history: list[dict[str, Any]] | None, session_id: str,
             refs: list[list[Any]] | None) -> tuple[list[dict[str, Any]], str, list[list[Any]], Any]:
        """The last step of `chat_stream` (for callers that do not stream)."""
        last: Any = (list(history or []), "", list(refs or []), False)
        for step in self.chat_stream(message, history, session_id, refs):
            last = step
        return last

    # -- feedback ----------------------------------------------------------------------------
    def rate_answer(self, answer_id: Any, token: Any, liked: Any, comment: Any = "") -> tuple[bool, str]:
        """👍/👎 by whoever got the answer: (stored, message). Rejects a wrong id or token, a
        non-boolean `liked`, a non-text or too long comment."""
        if isinstance(answer_id, bool) or not isinstance(answer_id, int):
            return False, "answer_id 必须是回答时返回的整数编号。"
        if not isinstance(liked, bool):
            return False, "liked 必须是 true(👍)或 false(👎)。"
        if not isinstance(comment, str):
            return False, "comment 必须是文字。"
        if not isinstance(token, str) or not token:
            return False, "需要回答时返回的 answer_token。"
        try:
            self.store.add_feedback(answer_id, token, 1 if liked else -1, comment)
        except PolicyAssistantError as exc:
            return False, f"反馈未保存:{exc}"
        return True, "已收到您的反馈,谢谢!" + ("(赞)" if liked else "(踩)")

    def rate(self, answer_id: Any, token: Any, liked: Any, comment: Any = "") -> str:
        """The `/rate` endpoint: a status line."""
        return self.rate_answer(answer_id, token, liked, comment)[1]

    def rate_message(self, index: int | list[int] | tuple[int, ...] | None, liked: bool,
                     refs: list[list[Any]] | None, comment: str = "") -> str:
        """Feedback from the chat's 赞/踩 under a message: the answer shown at that position of the
        history (each ref is [answer_id, token, message index])."""
        idx = index[0] if isinstance(index, (list, tuple)) else index
        try:
            idx = int(idx)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return "请先提问,再对回答进行评价。"
        for ref in refs or []:
            if len(ref) >= 3 and ref[2] == idx:
                if ref[0] is None:
                    break
                return self.rate(ref[0], ref[1], liked, comment)
        return "这条消息没有可评价的回答。"

    def rate_last(self, refs: list[list[Any]] | None, liked: bool, comment: str) -> str:
        if not refs or refs[-1][0] is None:
            return "请先提问,再对回答进行评价。"
        return self.rate(refs[-1][0], refs[-1][1], liked, comment)
