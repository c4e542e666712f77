"""A PostgreSQL cluster of its own on a loopback port, from Debian's binaries: what the tests and
`make deploy-local` run against. PostgreSQL refuses to run as root, so a root caller runs it as
the `postgres` user (the data directory is theirs); anyone else runs it as themselves."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from .store import StoreError

SEARCH = ("/usr/lib/postgresql/*/bin",)
"""Where Debian puts each major version's server binaries (initdb is not on PATH there)."""
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def postgres_bin() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres (`POLICY_PG_BIN`, Debian's newest
    version, or PATH); None when PostgreSQL is not installed."""
    given = os.environ.get("POLICY_PG_BIN")
    if given:
        return Path(given) if (Path(given) / "initdb").exists() else None
    found = []
    for pattern in SEARCH:
        found += [p for p in Path("/").glob(pattern.lstrip("/")) if (p / "initdb").exists()]
    if found:
        return max(found, key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)] or [0])
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """initdb + pg_ctl in a fresh directory; `url` names its `postgres` database as user
    `policy` (trust authentication, loopback only)."""

    def __init__(self, base: Path | None = None, port: int | None = None, fsync: bool = True,
                 run_as: str | None = None) -> None:
        self.bin = postgres_bin()
        if self.bin is None:
            raise StoreError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        self.base = Path(base) if base else Path(tempfile.mkdtemp(prefix="pa-pg-"))
        self.port = port or free_port()
        self.fsync = fsync
        self.run_as = run_as if run_as is not None else ("postgres" if os.geteuid() == 0 else "")
        self.data = self.base / "data"
        self.sockets = self.base / "sockets"
        self.log = self.base / "postgres.log"
        self.user = "policy"

    @property
    def url(self) -> str:
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.base)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StoreError(f"{args[0]} failed: {exc}") from exc
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-800:] if self.log.exists() else ""
            raise StoreError(f"{args[0]} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-800:]}"
                             + (f"\n{log}" if log else ""))
        return done

    def start(self) -> str:
        """Create the cluster (when new) and start it; returns `url`."""
        self.base.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(exist_ok=True)
        if self.run_as:
            try:
                user = pwd.getpwnam(self.run_as)
            except KeyError as exc:
                raise StoreError(f"no user {self.run_as!r} to run PostgreSQL as (it refuses root)") from exc
            for path in (self.base, self.sockets, *self.base.rglob("*")):
                os.chown(path, user.pw_uid, user.pw_gid)
            os.chmod(self.base, 0o700)
        if not (self.data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                      "--no-locale", "--no-sync")
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
                   f"-c max_connections=200 -c fsync={'on' if self.fsync else 'off'}")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")
        return self.url

    def create_database(self, name: str) -> str:
        """A new empty database in this cluster; returns its URL."""
        if not _NAME.match(name):
            raise StoreError(f"not a database name: {name!r}")
        import psycopg

        try:
            with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')  # a checked identifier: no parameters in DDL
        except psycopg.Error as exc:
            raise StoreError(f"cannot create database {name}: {exc}") from exc
        return self.database_url(name)

    def stop(self, remove: bool = True) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", timeout=60)
            except StoreError:
                pass
        if remove:
            shutil.rmtree(self.base, ignore_errors=True)

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise StoreError(f"PostgreSQL did not come up on port {self.port}")


__all__ = ["PgCluster", "free_port", "postgres_bin"]
