"""Install `oidc-provider` into the git-ignored test-artifacts/vendor/oidc once and run
tests/oidc/provider.mjs on a free loopback port while the tests need it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from app import ROOT

VERSION = "9.13.3"  # works on Node 20 (it warns that it prefers 22)
HERE = Path(__file__).parent
VENDOR = Path(ROOT) / "test-artifacts" / "vendor" / "oidc"
CLIENT_ID = "bookme-staff"
CLIENT_SECRET = "bookme-staff-secret"
ADMIN_ROLE = "bookme-admin"


class Unavailable(Exception):
    """Node or npm is missing: the tests that need the provider skip."""


def install() -> Path:
    """The provider script beside an installed `oidc-provider` (npm runs only the first time)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise Unavailable("node and npm are needed to run the OpenID provider of the SSO tests")
    VENDOR.mkdir(parents=True, exist_ok=True)
    package = VENDOR / "node_modules" / "oidc-provider" / "package.json"
    if f'"version": "{VERSION}"' not in (package.read_text() if package.exists() else ""):
        (VENDOR / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", f"oidc-provider@{VERSION}"],
            cwd=VENDOR,
            check=True,
            timeout=180,
        )
    script = VENDOR / "provider.mjs"
    shutil.copyfile(HERE / "provider.mjs", script)  # next to node_modules, where `import` looks
    return script


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running() -> Iterator[str]:
    """Start the provider and yield its issuer URL once its discovery document answers."""
    script = install()
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        ["node", script.name, str(port)],
        cwd=VENDOR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(issuer + "/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"the OpenID provider did not start: {error}") from None
                time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
