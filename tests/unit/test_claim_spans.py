"""A claim without a blocked span keeps itself widened by today's buffers, also next to claims
that carry their own span (found by the differential test against tests/reference)."""

from __future__ import annotations

from datetime import time, timedelta

from app.booking.facts import OrgFacts
from tests.unit.engine_helpers import clock_times, facts, local, meeting, query, run


def test_a_claim_without_its_own_span_keeps_the_buffers_beside_one_with_a_span():
    org = OrgFacts(opening_time=time(7), closing_time=time(20), buffer_after_minutes=15)
    early = local(2, 9)
    own_span = meeting("e1", early, blocked_from=early, blocked_until=early + timedelta(hours=1))
    plain = meeting("e1", local(2, 11))  # 11:00-12:00, kept until 12:15
    times = clock_times(run(query(), facts(org=org, claims=(own_span, plain))))
    assert "12:00" not in times and "12:30" in times
