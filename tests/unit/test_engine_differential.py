"""The engine against the slow reference (tests/reference/engine.py) over random scenarios:
the same slots, in the same order, with the same advisor chosen for best slots.

`make test` runs the fast profile (200 cases, and a quarter as many contested ones where the
advisor priority levels decide the winner); `make test-deep` sets BOOKME_DIFF_EXAMPLES=20000.
"""

from __future__ import annotations

import os
from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from app.booking.availability import available_slots
from app.booking.facts import ClaimColumns
from tests.reference.engine import reference_slots
from tests.reference.scenarios import Scenario, scenarios

EXAMPLES = int(os.environ.get("BOOKME_DIFF_EXAMPLES", "200"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios())
def test_the_engine_offers_exactly_what_the_reference_offers(case: Scenario) -> None:
    facts = case.facts
    if case.as_columns:  # as the slot service passes them: minutes as arrays
        facts = replace(facts, claims=ClaimColumns.of(facts.claims))
    got = available_slots(case.query, facts, case.now, ignore_reservation_ids=case.ignore_holds)
    assert got == reference_slots(case.query, case.facts, case.now, case.ignore_holds)


@settings(
    max_examples=max(EXAMPLES // 4, 50),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios(contested=True))
def test_the_advisor_priority_rules_choose_the_same_winner_as_the_reference(case: Scenario) -> None:
    got = available_slots(
        case.query, case.facts, case.now, ignore_reservation_ids=case.ignore_holds
    )
    assert got == reference_slots(case.query, case.facts, case.now, case.ignore_holds)
