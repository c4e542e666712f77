"""The files a page offers for download (政策体检 reports, the dashboard's CSV): one temporary
folder per app, whose reports are deleted once the page has offered them."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

REPORT_SECONDS = 900
"""A 政策体检 report file is deleted this long after it was written (the page has offered it)."""
MAX_REPORTS = 200
"""Report files kept at most (the oldest go first)."""


class Downloads:
    """The folder of files offered for download."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pa-reports-"))

    def prune(self, now: float | None = None) -> None:
        """Delete files older than REPORT_SECONDS, and the oldest beyond MAX_REPORTS."""
        now = time.time() if now is None else now
        try:
            files = sorted(self.folder.iterdir(), key=lambda p: p.stat().st_mtime)
        except OSError:
            return
        for i, path in enumerate(files):
            try:
                if now - path.stat().st_mtime > REPORT_SECONDS or len(files) - i > MAX_REPORTS:
                    path.unlink()
            except OSError:
                pass
