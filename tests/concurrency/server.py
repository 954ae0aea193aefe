"""A real multi-process server for the concurrency tests and the benchmark: gunicorn on a test database.

`running_gunicorn(database_url, workers=4)` yields the base URL and stops the server (by its pid) at
the end; `client_token(base, client_id, secret)` fetches a bearer token from it;
`next_working_day(now)` gives a weekday far enough ahead that the demo advisors are free.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from zoneinfo import ZoneInfo

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
# The gunicorn next to the Python running the tests (a worktree may share another checkout's venv).
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")
CPH = ZoneInfo("Europe/Copenhagen")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _private_key_pem() -> str:
    """One RSA key shared by every worker (each would otherwise race to create its own)."""
    from joserfc.jwk import RSAKey

    return RSAKey.generate_key(2048, private=True).as_pem(private=True).decode()


@contextmanager
def running_gunicorn(
    database_url: str,
    *,
    workers: int = 4,
    threads: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start `gunicorn -w N wsgi:app` on `database_url`; yield its base URL; stop it afterwards.

    `threads` > 1 uses the gthread worker (requests of one process overlap while waiting on the DB);
    `extra_env` adds settings (e.g. the rate-limit storage).
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        BOOKME_DATABASE_URL=database_url,
        SECRET_KEY="concurrency-test",
        BOOKME_JWT_PRIVATE_KEY=_private_key_pem(),
        BOOKME_ISSUER=base,
        BOOKME_LOG_LEVEL="WARNING",  # no access line per request (as gunicorn's --log-level)
        **(extra_env or {}),
    )
    command = [GUNICORN, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    command += ["--preload", "--graceful-timeout", "3"]  # import the app once, stop quickly
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    proc = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=env)
    try:
        _wait_until_up(base, proc)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _wait_until_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if requests.get(f"{base}/.well-known/jwks.json", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


def client_token(base: str, client_id: str, secret: str, scope: str) -> str:
    """A bearer token from the server's own `/oauth/token` (client credentials)."""
    resp = requests.post(
        f"{base}/oauth/token",
        data={"grant_type": "client_credentials", "scope": scope},
        auth=(client_id, secret),
        timeout=10,
    )
    resp.raise_for_status()
    return str(resp.json()["access_token"])


def next_working_day(now: datetime, days_ahead: int = 2) -> date:
    """The first Monday-Friday at least `days_ahead` days after `now` (Copenhagen time)."""
    day = (now.astimezone(CPH) + timedelta(days=days_ahead)).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def local_instant(day: date, hour: int, minute: int = 0) -> datetime:
    """`hour:minute` on `day` in Copenhagen, as UTC."""
    return datetime.combine(day, wall_time(hour, minute), tzinfo=CPH).astimezone(UTC)
