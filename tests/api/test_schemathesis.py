"""Generated requests against `/openapi.json` through the WSGI app: no 5xx, no answer off-schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import given as hypothesis_given
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from app.extensions import db
from tests import factories

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 25
MY_TAGS = {"Authentication", "Configuration", "Availability"}


@pytest.fixture
def seeded(app):  # type: ignore[no-untyped-def]
    """A small organisation so that reads find something."""
    factories.settings()
    loc = factories.location("Branch-North", ["Copenhagen"])
    business = factories.customer_type("Business")
    factories.employee(loc)
    factories.room(loc)
    factories.topic("Pension", customer_types=[business])
    db.session.commit()
    return app


def _operations(app, mine: bool):  # type: ignore[no-untyped-def]
    """Configuration and availability operations (`mine`), or every other one."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    for result in schema.get_all_operations():
        op = result.ok()
        if bool(MY_TAGS & set(op.definition.raw.get("tags", []))) == mine:
            yield op


def _fuzz(op, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis_given(case=op.as_strategy())
    def run(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        db.session.rollback()

    run()


def test_generated_reads_of_configuration_and_availability_never_fail(seeded, auth):
    headers = auth("bookme.read", "bookme.book", "bookme.admin")
    ops = list(_operations(seeded, mine=True))
    assert len(ops) >= 10
    for op in ops:
        _fuzz(op, headers)


def test_generated_booking_requests_never_fail(seeded, auth):
    headers = auth("bookme.read", "bookme.book", "bookme.admin")
    for op in _operations(seeded, mine=False):
        _fuzz(op, headers)
