"""Gunicorn settings BookMe needs for its metrics (read from the working directory by gunicorn).

With `PROMETHEUS_MULTIPROC_DIR` set (docs/operations.md), every worker writes its metrics to that
folder: the master empties it before the first worker starts, and hands back a finished worker's
live gauges. Without the variable these hooks do nothing.
"""

from __future__ import annotations

import os as _os
from pathlib import Path as _Path
from typing import Any

# Our own JSON access line (app/ops/access.py) replaces gunicorn's, which would log the raw path.
accesslog = None


def on_starting(server: Any) -> None:
    """Empty the metrics folder: numbers left by an earlier run would be added to this one's."""
    folder = _os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        _Path(folder).mkdir(parents=True, exist_ok=True)
        for leftover in _Path(folder).glob("*.db"):
            leftover.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker ended: its live gauges no longer count."""
    if _os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
