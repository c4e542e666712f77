"""Big read-only word tables (jieba's dictionary, wordfreq's frequency lists) kept as SQLite files,
so that a process answering one question looks up the few dozen words it needs instead of loading
half a million entries (jieba's dictionary: 0.26 s; wordfreq's import and two lists: ~0.5 s).

A table file is named by a hash of everything it is derived from (the library's version and its
data files' names, sizes and times): a dictionary installed again gives another name, so a table is
never stale.
Where no table can be written, the caller loads the full dictionary as before; answers are the
same either way (the table holds exactly the entries of the dictionary it was made from).
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator

TABLE_DIR_ENV = "POLICY_TABLE_DIR"
"""Where the tables are kept when set; else the user's cache directory (shared by every index on
the machine, like the English-bridge table), else a `tables` directory beside the index."""
_MISSING = object()
_dirs: list[Path] = []
_lock = threading.Lock()


def use_table_dir(index_dir: Path) -> None:
    """Let the tables live beside this index when the shared cache directory is not writable."""
    with _lock:
        if index_dir / "tables" not in _dirs:
            _dirs.append(index_dir / "tables")


def _candidates() -> list[Path]:
    env = os.environ.get(TABLE_DIR_ENV)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policy-assistant" / "tables"
    with _lock:
        return ([Path(env)] if env else []) + [base] + list(_dirs)


def cache_dirs() -> list[Path]:
    """The directories a process may keep machine-wide caches in, in order (see TABLE_DIR_ENV)."""
    return _candidates()


def content_key(label: str, files: Iterable[Path]) -> str:
    """A hash of a label (a library and its version) and the name, size and modification time of
    each file a table is made from: what Python's own bytecode cache trusts, for files that
    change only when their package is installed again (hashing jieba's 5 MB dictionary instead
    cost ~15 ms of every cold answer)."""
    h = hashlib.blake2b(label.encode(), digest_size=12)
    for path in files:
        stat = path.stat()
        h.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return h.hexdigest()


LOAD_ALL_AFTER = 20_000
"""Look-ups one by one cost ~10 µs against ~0.1 µs in a dictionary: a process that has asked a
table this many times (tokenizing whole documents for an index, not answering a question: a cold
answer asks ~1,300) reads the whole table in one go instead (~0.4 s for jieba's)."""


class WordTable:
    """A read-only mapping word → number backed by one SQLite file; every word looked up is
    remembered (at most the table's own size), so repeated text costs dictionary speed, and after
    LOAD_ALL_AFTER look-ups the whole table is read at once."""

    def __init__(self, path: Path, total: float) -> None:
        self.path = path
        self.total = total
        """The `total` stored with the table (jieba's sum of frequencies)."""
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._memo: dict[str, float | None] = {}
        self._queries = 0
        self._complete = False
        self._lock = threading.Lock()

    def get(self, word: str, default: float | None = None) -> float | None:
        value = self._memo.get(word, _MISSING)
        if value is _MISSING:
            if self._complete:
                return default
            with self._lock:
                self._queries += 1
                if self._queries > LOAD_ALL_AFTER:
                    self._load_all()
                    value = self._memo.get(word)
                else:
                    row = self._con.execute("SELECT v FROM t WHERE k = ?", (word,)).fetchone()
                    value = self._memo[word] = None if row is None else row[0]
        return default if value is None else value  # type: ignore[return-value]

    def _load_all(self) -> None:
        """Every entry into memory (the caller holds the lock); no GC pass over them meanwhile."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            memo: dict[str, float | None] = dict(self._con.execute("SELECT k, v FROM t"))
        finally:
            if enabled:
                gc.enable()
        self._memo, self._complete = memo, True

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> float:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value


class Overlay:
    """A table with words of one's own on top (jieba's `add_word` writes here, never into the
    shared table): the dictionary a library's tokenizer sees."""

    def __init__(self, base: WordTable) -> None:
        self.base = base
        self.own: dict[str, float] = {}

    def get(self, word: str, default: float | None = None) -> float | None:
        value = self.own.get(word)
        if value is None:
            return self.base.get(word, default)
        return value

    def __contains__(self, word: object) -> bool:
        return word in self.own or word in self.base

    def __getitem__(self, word: str) -> float:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __setitem__(self, word: str, value: float) -> None:
        self.own[word] = value


def open_table(name: str, key: str, build: Callable[[], tuple[Iterable[tuple[str, float]], float]]) -> WordTable | None:
    """The table `name` for content `key`: opened when some candidate directory holds it, else
    built (`build` gives the entries and a total) into the first writable one. None when no
    directory can hold it (the caller then uses the dictionary itself)."""
    file = f"{name}-{key}.sqlite"
    for folder in _candidates():
        path = folder / file
        if path.is_file():
            try:
                return _open(path)
            except sqlite3.Error:
                path.unlink(missing_ok=True)  # damaged: made again below
    for folder in _candidates():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not os.access(folder, os.W_OK):
                continue
            return _open(_write(folder / file, *build()))
        except (OSError, sqlite3.Error):
            continue
    return None


def _open(path: Path) -> WordTable:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT v FROM meta WHERE k = 'total'").fetchone()
    finally:
        con.close()
    if row is None:
        raise sqlite3.DatabaseError(f"{path}: no total")
    return WordTable(path, row[0])


def _write(path: Path, entries: Iterable[tuple[str, float]], total: float) -> Path:
    """Written to a temporary file and renamed: a reader never sees half a table."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v) WITHOUT ROWID")
            con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v)")
            con.executemany("INSERT INTO t VALUES (?, ?)", _sorted(entries))
            con.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _sorted(entries: Iterable[tuple[str, float]]) -> Iterator[tuple[str, float]]:
    return iter(sorted(entries))
