"""Which pools a search looks at: `employeeTypes` counts with participation required too (the
vendor's Example 2 and its service-group guide), a bare list of advisors is a joint meeting."""

from __future__ import annotations

import pytest

from app.booking.errors import InvalidRequest
from app.booking.query import SlotQuery
from app.booking.rules import requested_pools

ALL = ("Explicit", "Local", "ServiceGroup")


@pytest.mark.parametrize(
    ("required", "ids", "types", "pools", "joint"),
    [
        (True, ("a",), ALL, set(ALL), ()),  # Example 2: the preferred advisor, with fallback
        (True, (), ("ServiceGroup",), {"ServiceGroup"}, ()),  # the service-group guide
        (True, ("a", "b"), (), {"Explicit"}, ("a", "b")),  # a joint meeting
        (True, ("a", "b"), ("Explicit",), {"Explicit"}, ("a", "b")),
        (True, (), (), {"Local", "ServiceGroup"}, ()),
        (False, ("a",), ("Explicit",), {"Explicit"}, ()),
        (False, (), ("Local",), {"Local"}, ()),
    ],
)
def test_requested_pools(required, ids, types, pools, joint):  # type: ignore[no-untyped-def]
    query = SlotQuery(required, explicit_employee_ids=ids, employee_types=types)
    assert requested_pools(query) == (pools, joint)


def test_participation_not_required_needs_employee_types():
    with pytest.raises(InvalidRequest) as err:
        requested_pools(SlotQuery(False, explicit_employee_ids=("a",)))
    assert err.value.field == "employeeTypes"
