"""The 上传文件 tab (staff only): a document added to the library as `policy-assistant add` does,
then embedded by one background worker while questions keep being answered; its progress."""

from __future__ import annotations

import html
import logging
import os
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answer.chain import Assistant
from assistant.errors import PolicyAssistantError
from assistant.lang.text import book_title, inert

from .render import SORRY, WARN
from .watch import LibraryWatch

if TYPE_CHECKING:
    from .shared import SharedState

log = logging.getLogger("policy-assistant.ui")
STAGES = {"parse": "解析条文", "embed": "计算向量", "lexical": "词法索引", "bridge": "英文词桥",
          "store": "写入索引"}


class UploadHandlers:
    """Uploads and the background indexing that makes them answerable."""

    def __init__(self, assistant: Assistant, watch: LibraryWatch, shared: SharedState | None) -> None:
        self.assistant = assistant
        self.watch = watch
        self.shared = shared
        self.upload_root: Path | None = None
        """When set (the web server sets it to Gradio's upload folder), only files under it are
        added: an API call naming another server path is refused."""
        self._indexing = threading.Lock()
        self._pending = threading.Event()
        self._worker: threading.Thread | None = None
        self._status = ""

    def upload(self, file: Any, meta: str = "", replace: bool = False) -> str:
        """Staff only (the app shows it only behind a login): add a document to the library, as
        `policy-assistant add` does, then embed it in the background (questions keep being
        answered; the document is answerable when `upload_status` says so). A file named like a
        document of the library is only replaced when `replace` is set."""
        from assistant.index.policy_index import documents_cache
        from assistant.ingest.library import DocumentExistsError, add_document, parse_meta_options

        path = getattr(file, "name", None) or (file.get("path") if isinstance(file, dict) else file)
        if not path or not isinstance(path, (str, Path)):
            return "请选择文件(.txt、.docx、.pdf 或 .html)。"
        source = Path(str(path))
        if self.upload_root is not None and not _inside(source, self.upload_root):
            return f"{WARN}只能加入通过本页面上传的文件。"
        corpus_dir = self.assistant.settings.corpus_dir
        try:
            pairs = [p.strip() for p in re.split(r"[\n;；]", meta or "") if p.strip()]
            added = add_document(corpus_dir, source, parse_meta_options(pairs),
                                 documents_cache(self.assistant.settings), replace=bool(replace))
        except DocumentExistsError as exc:
            return (f"{WARN}文件库已有{book_title(inert(exc.title))}({inert(exc.doc_id)})。如要用此文件更新它(编号不变),"
                    "请勾选“替换同名文件”后再提交。")
        except PolicyAssistantError as exc:
            return f"{WARN}{html.escape(_without_paths(str(exc), source, corpus_dir))}"
        except Exception:  # noqa: BLE001
            log.exception("upload failed")
            return f"{WARN}{SORRY}"
        m = added.meta
        self.index_in_background(m.title or added.doc_id)
        warnings = "".join(f"\n\n{WARN}{html.escape(w)}" for w in added.warnings)
        return (f"已{'更新' if added.replaced else '加入'}:{book_title(inert(m.title or added.doc_id))}"
                f"({inert(added.doc_id)},{inert(m.doc_number or '无文号')},{m.status or '状态未注明'},"
                f"{added.articles} 条)。正在建立索引,完成后即可回答;点“刷新进度”查看。{warnings}")

    def index_in_background(self, title: str) -> None:
        """Sync the index in one worker thread (a second upload meanwhile is synced after it)."""
        self._status = f"{book_title(inert(title))}等待建立索引…"
        self._pending.set()
        with self._indexing:
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(target=self._index_worker, name="pa-upload-index", daemon=True)
            self._worker.start()

    def _index_worker(self) -> None:
        try:  # below the threads that answer questions (Linux: a thread has its own nice value)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass

        def progress(stage: str, done: int, total: int) -> None:
            self._status = f"正在建立索引:{STAGES.get(stage, stage)} {done}/{total}"

        while True:
            with self._indexing:
                if not self._pending.is_set():
                    self._worker = None
                    return
                self._pending.clear()
            try:
                self.watch.reload(progress)
                if self.shared is not None:  # the other instances reload (the vectors are there)
                    self.shared.library_changed()
                self._status = "✅ 索引已更新,新文件可以回答了。"
            except Exception:  # noqa: BLE001 - reported on the page, the old index keeps serving
                log.exception("indexing an upload failed")
                self._status = f"{WARN}建立索引失败,文件库仍按原索引回答。{SORRY}"

    def upload_status(self) -> str:
        """How far the background indexing of uploads is ('' when nothing was uploaded)."""
        return self._status or "暂无上传任务。"

    def wait_for_index(self, timeout: float = 600.0) -> bool:
        """Block until background indexing is done (tests and scripts); True when it finished."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            worker = self._worker
            if (worker is None or not worker.is_alive()) and not self._pending.is_set():
                return True
            time.sleep(0.05)
        return False


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def _without_paths(message: str, source: Path, corpus_dir: Path) -> str:
    """An error message for the web page: file names instead of the server's paths."""
    for full, shown_as in ((str(source), source.name), (str(source.parent), ""),
                           (str(corpus_dir), "文件库"), (tempfile.gettempdir(), "")):
        if full:
            message = message.replace(full, shown_as)
    return message
