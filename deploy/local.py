"""`make deploy-local`: the hotline deployment on this machine — PostgreSQL (Debian's binaries, run
as the `postgres` user when started by root), a Chroma server (`chroma run`), two instances of the
app and nginx in front of them, all on loopback, from Debian packages and the project's .venv.

    python deploy/local.py [--listen 127.0.0.1:8080] [--ports 7861,7862] [--state DIR] [--seconds N]

Runs until Ctrl-C (or N seconds), then stops everything it started. The instances' settings are
written to STATE/instance.env, so `env $(cat STATE/instance.env) .venv/bin/policy-assistant add
FILE` adds a document both instances answer from within POLICY_LIBRARY_POLL_SECONDS.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.ops.pgcluster import PgCluster, free_port  # noqa: E402

BIN = Path(sys.executable).parent


def log(message: str) -> None:
    print(f"[deploy] {message}", flush=True)


def wait_http(url: str, proc: subprocess.Popen | None = None, seconds: float = 180) -> float:
    """Seconds until `url` answers (any HTTP status)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return time.monotonic() - started
        except urllib.error.HTTPError:
            return time.monotonic() - started
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


class Deployment:
    """Everything `make deploy-local` runs (also used by `make load`'s two-instance run)."""

    def __init__(self, state: Path | None = None, listen: str = "127.0.0.1:8080",
                 ports: tuple[int, int] | None = None, auth: str = "", rate_per_minute: int = 30,
                 corpus: Path | None = None, remove_state: bool = False) -> None:
        self.state = Path(state) if state else Path(tempfile.mkdtemp(prefix="pa-deploy-"))
        self.remove_state = remove_state
        """Delete the state directory (database, vectors, logs) when stopped."""
        self.listen = listen
        self.ports = ports or (free_port(), free_port())
        self.auth = auth
        self.rate_per_minute = rate_per_minute
        self.corpus = corpus or ROOT / "corpus"
        self.procs: dict[str, subprocess.Popen] = {}
        self.pg: PgCluster | None = None
        self.env: dict[str, str] = {}

    @property
    def url(self) -> str:
        return f"http://{self.listen}/"

    def instance_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[0 if name == 'a' else 1]}/"

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        out = open(self.state / f"{name}.log", "ab")
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=ROOT)
        self.procs[name] = proc
        return proc

    def start(self) -> "Deployment":
        self.state.mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o755)  # PostgreSQL's own user reaches its data directory inside
        nginx = find_nginx()
        if nginx is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
        self.pg = PgCluster(self.state / "pg")
        url = self.pg.start()
        log(f"PostgreSQL on {url}")
        chroma_port = free_port()
        chroma = self._spawn("chroma", [str(BIN / "chroma"), "run", "--path", str(self.state / "chroma"),
                                        "--host", "127.0.0.1", "--port", str(chroma_port)])
        wait_http(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", chroma, 60)
        log(f"Chroma server on 127.0.0.1:{chroma_port}")
        self.env = {"POLICY_DATABASE_URL": url, "POLICY_CHROMA_HOST": "127.0.0.1",
                    "POLICY_CHROMA_PORT": str(chroma_port), "POLICY_CORPUS_DIR": str(self.corpus),
                    "POLICY_UI_TRUSTED_PROXIES": "127.0.0.1",
                    "POLICY_UI_RATE_PER_MINUTE": str(self.rate_per_minute),
                    "POLICY_INDEX_DIR": str(self.state / "index-cli")}
        if self.auth:
            self.env["POLICY_UI_AUTH"] = self.auth
        (self.state / "instance.env").write_text("".join(f"{k}={v}\n" for k, v in self.env.items()))
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_")}
        for name, port in zip("ab", self.ports):  # one after the other: the vectors are embedded once
            env = {**base_env, **self.env, "POLICY_INDEX_DIR": str(self.state / f"index-{name}")}
            proc = self._spawn(f"instance-{name}", [str(BIN / "python"), "-m", "assistant", "serve",
                                                    "--host", "127.0.0.1", "--port", str(port)], env)
            took = wait_http(self.instance_url(name) + "api/health", proc)
            log(f"instance {name} on 127.0.0.1:{port} (ready after {took:.1f} s)")
        conf = self.state / "nginx.conf"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.state / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
        user = ""
        if os.geteuid() == 0:  # workers never run as root
            worker = pwd.getpwnam("www-data" if _has_user("www-data") else "nobody")
            for path in [self.state / "nginx-tmp", *(self.state / "nginx-tmp").iterdir()]:
                os.chown(path, worker.pw_uid, worker.pw_gid)
            user = f"user {worker.pw_name};"
        template = (Path(__file__).parent / "nginx.conf.template").read_text()
        for key, value in {"STATE": self.state, "PORT_A": self.ports[0], "PORT_B": self.ports[1],
                           "LISTEN": self.listen, "USER": user}.items():
            template = template.replace(f"@{key}@", str(value))
        conf.write_text(template)
        check = subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(self.state)],
                               capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejects {conf}: {check.stderr.strip()}")
        proc = self._spawn("nginx", [nginx, "-c", str(conf), "-p", str(self.state), "-g", "daemon off;"])
        wait_http(self.url + "api/health", proc, 30)
        log(f"nginx on {self.url} → instances {self.ports[0]}, {self.ports[1]}")
        return self

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            proc = self.procs[name]
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM if name != "nginx" else signal.SIGQUIT)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.pg is not None:
            self.pg.stop(remove=False)
        if self.remove_state:
            shutil.rmtree(self.state, ignore_errors=True)

    def __enter__(self) -> "Deployment":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listen", default="127.0.0.1:8080", help="nginx address (loopback)")
    ap.add_argument("--ports", default="7861,7862", help="the two instances' ports")
    ap.add_argument("--state", type=Path, default=None, help="directory for data and logs (default: a new temp dir)")
    ap.add_argument("--seconds", type=float, default=0, help="stop after this long (0: until Ctrl-C)")
    args = ap.parse_args()
    try:
        a, b = (int(p) for p in args.ports.split(","))
    except ValueError:
        print("--ports must be two port numbers, e.g. 7861,7862", file=sys.stderr)
        return 2
    deployment = Deployment(args.state, args.listen, (a, b), auth=os.environ.get("POLICY_UI_AUTH", ""))
    try:
        with deployment:
            log(f"serving on {deployment.url} (state and logs in {deployment.state}); Ctrl-C stops")
            deadline = time.monotonic() + args.seconds if args.seconds else None
            while deadline is None or time.monotonic() < deadline:
                time.sleep(0.5)
                dead = [n for n, p in deployment.procs.items() if p.poll() is not None]
                if dead:
                    log(f"stopped: {', '.join(dead)} exited (see {deployment.state}/*.log)")
                    return 1
    except KeyboardInterrupt:
        log("stopping")
    except RuntimeError as exc:
        print(f"deploy-local: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
