"""Starting the web app: the handlers over one assistant, then the server (the layout of
`web.app` behind the Guard of `web.server`). Above both, so neither imports the other's caller."""

from __future__ import annotations

from typing import Any, Callable

from assistant.answer.chain import Assistant
from assistant.config import Settings, load_settings
from assistant.ops.feedback import FeedbackStore

from .handlers import Handlers
from .security import Credentials
from .server import serve


def make_handlers(settings: Settings | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> Handlers:
    settings = settings or load_settings()
    assistant = Assistant(settings, progress=progress)
    pending = assistant.open_ready()  # the index (or the part of the library it holds) before serving
    assistant.warm()
    handlers = Handlers(assistant, FeedbackStore.from_settings(settings))
    if pending:  # documents added or changed since the index was built: embedded while serving
        handlers.index_in_background("新增或修改的文件")
    return handlers


def launch(host: str | None = None, port: int | None = None, block: bool = True,
           progress: Callable[[str, int, int], None] | None = None,
           settings: Settings | None = None) -> Any:
    """Build the index if needed and serve the app and the JSON API (never a share link)."""
    settings = settings or load_settings()
    Credentials.parse(settings.ui_auth)  # a malformed POLICY_UI_AUTH fails before any work
    handlers = make_handlers(settings, progress)
    return serve(handlers, settings, host or settings.ui_host, port or settings.ui_port, block=block)


__all__ = ["launch", "make_handlers"]
