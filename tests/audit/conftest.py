"""Audit trail tests use the API's token helpers (tests/api/conftest.py)."""

from __future__ import annotations

from tests.api.conftest import auth, make_token  # noqa: F401 (fixtures)
