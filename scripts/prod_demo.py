"""`make prod-demo`: the production topology on loopback, for a newcomer to look at.

PostgreSQL (a fresh database on the machine's own server), Redis, two gunicorn instances, the
outbox worker and nginx in front (scripts/topology.py). Prints where everything is; Ctrl-C stops
it all and drops the database. `PORT=8080 make prod-demo` puts the proxy on port 8080.
"""

from __future__ import annotations

import os
import signal
import sys
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir)))

from scripts.topology import Topology, missing  # noqa: E402


def main() -> int:
    """Start, print, wait for Ctrl-C, stop."""
    lacks = missing()
    if lacks:
        print("prod-demo needs: " + "; ".join(lacks), file=sys.stderr)
        return 1
    print("Starting PostgreSQL database, Redis, two instances, the worker and nginx ...")
    port = os.environ.get("PORT")  # the proxy's port; unset: a free one
    topology = (Topology(proxy_port=int(port)) if port else Topology()).start(seed=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    a, b = topology.instances["a"], topology.instances["b"]
    print(
        f"""
BookMe is running behind nginx:   {topology.url}/
  customer wizard                 {topology.url}/
  staff sign-in                   {topology.url}/login  (demo accounts: README.md)
  API reference                   {topology.url}/api/docs
  probes                          {topology.url}/healthz  {topology.url}/readyz
instances (gunicorn, {topology.workers} workers)  a: {a.url}  b: {b.url}
  metrics (per instance)          curl -H 'Authorization: Bearer {topology.metrics_token}' {a.url}/metrics
database                          {topology.database_url}  (dropped on exit)
redis                             {topology.redis_url}
API client (admin)                id {topology.client["client_id"]}  secret {topology.client["client_secret"]}
logs, maildir, nginx.conf         {topology.folder}

Ctrl-C stops everything."""
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nStopping ...")
    finally:
        topology.stop()
        print(f"Stopped. Logs kept in {topology.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
