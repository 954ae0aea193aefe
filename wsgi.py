"""WSGI entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`."""

import gc

from app import create_app

app = create_app()
# Once per worker: the objects of the started app (modules, configuration, templates) live as long
# as the process; frozen, the collector's full passes no longer walk them (docs/availability.md).
gc.collect()
gc.freeze()
