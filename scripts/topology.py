"""The production topology on loopback: one home for `make prod-demo`, its test and the load test.

`Topology.start()` brings up, each on a free loopback port and under one temporary folder:

- a fresh PostgreSQL database on the machine's own server (`BOOKME_TEST_POSTGRES_URL`, default
  `postgresql://postgres@127.0.0.1:5432/postgres`), migrated, the demo bank loaded;
- a Redis of its own (`redis-server`, nothing saved to disk) for the shared rate-limit counts;
- two gunicorn instances of the app (`a` and `b`), sharing `SECRET_KEY`, the token-signing key,
  the database and Redis, each with its own `PROMETHEUS_MULTIPROC_DIR`;
- the outbox worker (`flask --app wsgi bookme worker`), filing e-mails in a maildir;
- nginx (Debian's package, unprivileged: `-p <folder> -c <folder>/nginx.conf`) balancing between
  the instances, forwarding the client's address (`BOOKME_PROXY_HOPS=1` on the instances).

`stop()` ends every process it started (by its own process group) and drops the database.
Logs land in `<folder>/*.log`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # gunicorn and flask beside the Python running this
PG_ADMIN_URL = os.environ.get(
    "BOOKME_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
API_SCOPE = "bookme.read bookme.book bookme.admin"
START_TIMEOUT_SECONDS = 60.0


def nginx_binary() -> str | None:
    """Debian's nginx (in /usr/sbin, which an unprivileged PATH may not list)."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def missing() -> list[str]:
    """What this machine lacks to start the topology (empty: all there)."""
    lacks = []
    if nginx_binary() is None:
        lacks.append("nginx (apt-get install nginx)")
    if shutil.which("redis-server") is None:
        lacks.append("redis-server (apt-get install redis-server)")
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        lacks.append(f"PostgreSQL at {PG_ADMIN_URL}")
    return lacks


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _private_key_pem() -> str:
    """One RS256 key for both instances: a token one signs, the other accepts."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class Instance:
    """One gunicorn master and its workers."""

    name: str
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Topology:
    """Everything `start()` brought up; `stop()` takes it down again."""

    workers: int = 2
    threads: int = 1
    log_level: str = "INFO"
    extra_env: dict[str, str] = field(default_factory=dict)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bookme-topo-")))
    proxy_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    database_name: str = field(default_factory=lambda: f"bookme_topo_{uuid.uuid4().hex[:10]}")
    metrics_token: str = field(default_factory=lambda: uuid.uuid4().hex)
    instances: dict[str, Instance] = field(default_factory=dict)
    client: dict[str, str] = field(default_factory=dict)  # the API client: client_id, secret
    _processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    _database_created: bool = False

    @property
    def url(self) -> str:
        """The proxy: where customers, API clients and staff go."""
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def database_url(self) -> str:
        return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{self.database_name}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    # ---- starting ------------------------------------------------------------------------

    def start(self, *, seed: bool = True) -> Topology:
        """Bring everything up (the demo bank loaded when `seed`); stops what started on failure."""
        try:
            self._start_redis()
            self._create_database(seed)
            self.instances = {n: Instance(n, free_port()) for n in ("a", "b")}
            for instance in self.instances.values():
                self.start_instance(instance.name)
            self._spawn("worker", [str(BIN / "flask"), "--app", "wsgi", "bookme", "worker"])
            self._start_nginx()
            for instance in self.instances.values():
                self.wait_ready(instance.url)
            self.wait_ready(self.url)
        except BaseException:
            self.stop()
            raise
        return self

    def env(self) -> dict[str, str]:
        """The settings every instance and the worker share (docs/operations.md, Topology)."""
        if not hasattr(self, "_jwt_key"):
            self._jwt_key = _private_key_pem()
            self._secret_key = uuid.uuid4().hex + uuid.uuid4().hex
        return {
            **os.environ,
            "BOOKME_DATABASE_URL": self.database_url,
            "SECRET_KEY": self._secret_key,
            "BOOKME_JWT_PRIVATE_KEY": self._jwt_key,
            "BOOKME_ISSUER": self.url,
            "BOOKME_PROXY_HOPS": "1",
            "BOOKME_RATELIMIT_STORAGE": self.redis_url,
            "BOOKME_INSECURE_COOKIES": "1",  # plain http on loopback; production has TLS
            "BOOKME_METRICS_TOKEN": self.metrics_token,
            "BOOKME_LOG_FORMAT": "json",
            "BOOKME_LOG_LEVEL": self.log_level,
            "BOOKME_MAIL_DIR": str(self.folder / "mail"),
            "BOOKME_WORKER_POLL_SECONDS": "2",
            **self.extra_env,
        }

    def _flask(self, *args: str) -> str:
        """Run one `flask --app wsgi bookme ...` command; its standard output."""
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", "bookme", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=180,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bookme {args[0]} failed: {done.stderr[-2000:]}")
        return done.stdout

    def _create_database(self, seed: bool) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{self.database_name}"')
        self._database_created = True
        self._flask("init-db")
        if seed:
            self._flask("seed-demo")
        self.client = self.new_client("topology", API_SCOPE)

    def new_client(self, name: str, scope: str = API_SCOPE) -> dict[str, str]:
        """Register another API client (`bookme create-client`): its client_id and client_secret."""
        out = self._flask("create-client", name, "--scope", scope)
        return dict(json.loads(out.strip().splitlines()[-1]))

    def _start_redis(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port)]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self._spawn("redis", command)
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.redis_url, socket_timeout=1).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not answer") from None
                time.sleep(0.1)

    def start_instance(self, name: str) -> None:
        """Start (or start again) instance `name`: gunicorn with its own metrics folder."""
        instance = self.instances[name]
        metrics = self.folder / f"metrics-{name}"
        command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
        command += ["-w", str(self.workers), "-b", f"127.0.0.1:{instance.port}"]
        command += ["--graceful-timeout", "5", "--timeout", "30", "--log-level", "warning"]
        if self.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(self.threads)]
        env = {**self.env(), "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
        instance.process = self._spawn(f"instance-{name}", [*command, "wsgi:app"], env=env)

    def _start_nginx(self) -> None:
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
            (self.folder / "nginx" / sub).mkdir(parents=True, exist_ok=True)
        conf = self.folder / "nginx" / "nginx.conf"
        from scripts.nginx_conf import render

        conf.write_text(
            render(
                self.folder / "nginx", self.proxy_port, [i.port for i in self.instances.values()]
            )
        )
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed")
        self._spawn("nginx", [binary, "-p", str(self.folder / "nginx"), "-c", str(conf)])

    def _spawn(
        self, name: str, command: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        """Start a process in a group of its own (so its children end with it); log to a file."""
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it open
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self._processes.append((name, process))
        return process

    def wait_ready(self, base: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
        """Until `base/readyz` answers 200 (raises when a started process died meanwhile)."""
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self._processes:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} exited with {process.returncode}: {self.tail(name)}"
                    )
            try:
                if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{base} was not ready within {timeout:.0f} s")

    def tail(self, name: str, lines: int = 20) -> str:
        """The last lines of a process's log."""
        path = self.folder / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # ---- stopping ------------------------------------------------------------------------

    def kill_instance(self, name: str) -> None:
        """Kill instance `name` at once (SIGKILL to its master and workers): a crashed server."""
        process = self.instances[name].process
        if process is None:
            return
        _signal_group(process, signal.SIGKILL)
        process.wait(timeout=10)
        self._processes = [(n, p) for n, p in self._processes if p is not process]

    def stop(self, *, keep_database: bool = False) -> None:
        """End every process started here (gently, then by force) and drop the database."""
        for _name, process in reversed(self._processes):
            _signal_group(process, signal.SIGTERM)
        for _name, process in reversed(self._processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)
        self._processes = []
        if self._database_created and not keep_database:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
            self._database_created = False

    def remove_folder(self) -> None:
        """Delete the temporary folder (logs, maildir, metrics files)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Signal the process group `process` leads (it and its children), if any member is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
