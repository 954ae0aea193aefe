"""Serve the demo bank on a fresh SQLite database, for screenshots and Lighthouse (not for tests).

python scripts/demo_server.py PORT   # prints the URL, serves until killed
"""

from __future__ import annotations

import os
import sys
import tempfile

from werkzeug.serving import run_simple

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402


def build(path: str):  # type: ignore[no-untyped-def]
    """The app on `path` with the schema and the demo loaded."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "demo-only",
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "BOOKME_HTTPS": False,
            "BOOKME_VIDEO_LINK_TEMPLATE": "https://meet.nordbank.example/{reference}",
        }
    )
    runner = app.test_cli_runner()
    for command in (["bookme", "init-db"], ["bookme", "seed-demo"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    return app


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5077
    folder = tempfile.mkdtemp(prefix="bookme-demo-")
    served = build(os.path.join(folder, "demo.db"))
    print(f"http://127.0.0.1:{port}", flush=True)
    run_simple("127.0.0.1", port, served, threaded=True)
