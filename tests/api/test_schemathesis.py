"""Generated requests against `/openapi.json` through the WSGI app: no 5xx, no answer off-schema.

Besides the generated ids (which only ever meet a 404), the `{id}` routes are also called with the
ids of real rows (a meeting, a live hold, advisors, branches, ...), and bodies the schema calls
invalid must be refused with a 4xx. Every run is bounded: a fixed number of examples per operation,
derandomized, no example database.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import given as hypothesis_given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from app import models
from app.extensions import db
from app.notifications.endpoints import add_endpoint
from app.notifications.models import WebhookEndpoint
from tests import factories
from tests.api.test_meetings import meeting_body, reserve
from tests.booking.conftest import SLOT_START, make_bank

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 25
REAL_ID_EXAMPLES = 20
MY_TAGS = {"Authentication", "Configuration", "Configuration (V3)", "Availability"}
# Which table's ids fill a path parameter: by its name, else (`{ident}`) by the collection it is in.
ID_TABLES: dict[str, type] = {
    "meeting_id": models.Meeting,
    "reservation_id": models.Reservation,
    "busy_id": models.BusyTime,
    "endpoint_id": WebhookEndpoint,
}
IDENT_TABLES: dict[str, type] = {  # the first prefix that matches wins
    "/bookme/config/competence-groups/employee/": models.Employee,
    "/bookme/config/competence-groups/": models.CompetenceGroup,
    "/bookme/config/service-groups/employee/": models.Employee,
    "/bookme/config/service-groups/": models.ServiceGroup,
    "/bookme/config/employee-schedules/": models.Employee,
    "/bookme/config/organization-settings/": models.OrganisationSettings,
    "/bookme/config/locations/": models.Location,
    "/config/closing-days/": models.ClosingDay,
    "/config/competence-groups/": models.CompetenceGroup,
    "/config/customer-types/": models.CustomerType,
    "/config/employees/": models.Employee,
    "/config/locations/": models.Location,
    "/config/meeting-topics/": models.Topic,
    "/bookme/meeting-topics/": models.Topic,
    "/config/rooms/": models.Room,
    "/bookme/rooms/": models.Room,
    "/bookme/employees/": models.Employee,
    "/config/service-groups/": models.ServiceGroup,
}
METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Schemathesis's WSGI calls do not unpack gzip, and large answers (the time zones) come gzipped to
# clients that accept it: ask for them plain (test_availability checks the gzip).
PLAIN = {"Accept-Encoding": "identity"}  # deletes last, so the rows live longest


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
        response = case.call(headers={**headers, **PLAIN})
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


@pytest.fixture
def populated(app, auth):  # type: ignore[no-untyped-def]
    """A bank with a row behind every `{id}` route: a meeting and a live hold made over HTTP."""
    bank = make_bank()
    factories.busy(
        bank.advisor, SLOT_START + timedelta(days=1), SLOT_START + timedelta(days=1, hours=1)
    )
    factories.closing_day(date(2026, 12, 24), "Christmas Eve")
    factories.competence_group("Pensions")
    factories.service_group("Remote")
    add_endpoint("https://crm.bank.test/hooks", None, now=SLOT_START)
    db.session.commit()
    client, headers = app.test_client(), auth("bookme.read", "bookme.book", "bookme.admin")
    made = reserve(client, bank, headers, token="tok-meeting")
    resp = client.post("/bookme/meetings", json=meeting_body(bank, made["id"]), headers=headers)
    assert resp.status_code == 201, resp.json
    reserve(client, bank, headers, token="tok-hold", start=SLOT_START + timedelta(hours=2))
    return app


def _path_names(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def _real_ids(path: str, name: str) -> list[str]:
    """The ids of the rows a path parameter can name, read afresh (deletes remove some)."""
    table = ID_TABLES.get(name) or next(
        t for prefix, t in IDENT_TABLES.items() if path.startswith(prefix)
    )
    ids = list(db.session.scalars(select(table.id)))  # type: ignore[attr-defined]
    db.session.rollback()
    return [str(i) for i in ids] or ["no-rows-left"]


def _all_operations(app, keep: Callable[..., bool]):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    ops = sorted(
        (r.ok() for r in schema.get_all_operations() if keep(r.ok())),
        key=lambda op: (METHOD_ORDER.index(op.method.upper()), op.path),
    )
    deletes = [op for op in ops if op.method.upper() == "DELETE"]
    return [op for op in ops if op not in deletes] + deletes[::-1]  # children before parents


def _cases_with_real_ids(op, mode):  # type: ignore[no-untyped-def]
    """Cases of `op` whose path parameters name real rows (the ids are read once, up front)."""
    names = _path_names(op.path)
    pools = [st.sampled_from(_real_ids(op.path, n)) for n in names]
    return st.tuples(*pools).flatmap(
        lambda ids: op.as_strategy(
            generation_mode=mode, path_parameters=dict(zip(names, ids, strict=True))
        )
    )


def _fuzz_real_ids(op, headers, mode, checks, seen: Counter) -> None:  # type: ignore[no-untyped-def]
    """`op` with real ids; `seen` counts the answers' statuses per operation."""

    @settings(
        max_examples=REAL_ID_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis_given(case=_cases_with_real_ids(op, mode))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(headers={**headers, **PLAIN})
        seen[(op.label, response.status_code)] += 1
        case.validate_response(response, checks=checks)
        db.session.rollback()

    run()


def test_the_id_routes_called_with_real_ids_never_fail(populated, auth):
    headers = auth("bookme.read", "bookme.book", "bookme.admin")
    ops = _all_operations(populated, lambda op: bool(_path_names(op.path)))
    assert len(ops) >= 25
    seen: Counter = Counter()
    for op in ops:
        _fuzz_real_ids(op, headers, GenerationMode.POSITIVE, CHECKS, seen)
    only_404 = [op.label for op in ops if {s for (label, s) in seen if label == op.label} == {404}]
    assert not only_404, f"these routes never found their real row: {only_404}"
    found = {label for (label, status) in seen if status in (200, 201, 204)}
    assert {"GET /bookme/meetings/{meeting_id}", "GET /config/employees/{ident}"} <= found


def test_bodies_the_schema_calls_invalid_are_refused(populated, auth):
    headers = auth("bookme.read", "bookme.book", "bookme.admin")
    ops = _all_operations(populated, lambda op: op.body is not None and len(op.body) > 0)
    assert len(ops) >= 15
    seen: Counter = Counter()
    checks = [not_a_server_error, negative_data_rejection]
    for op in ops:
        _fuzz_real_ids(op, headers, GenerationMode.NEGATIVE, checks, seen)
    assert sum(n for (_, status), n in seen.items() if 400 <= status < 500) > 100
