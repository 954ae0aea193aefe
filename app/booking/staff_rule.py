"""What a staff search applies, written once. Book for a customer (its grid and its hold), moving a
meeting (its grid, its hold and the hold taken again) and Why not? all shape their search here, so
they cannot drift apart.

- The advisors' daily caps apply to every staff search: staff cannot lift them.
- The minimum notice applies unless it is lifted: booking for a customer and Why not? lift it when
  the advisor ticks "Ignore the minimum notice"; moving a meeting always lifts it (`MOVE`), since the
  advisor is rearranging a meeting already booked, often at the customer's request that day.

Both are the engine's customer rules (`is_customer_initiated`), with the notice lifted on request
(`ignore_minimum_notice`). Pure: plain values in and out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.booking.query import SlotQuery
from app.booking.reservations import HoldRequest


@dataclass(frozen=True)
class StaffRule:
    """A staff search's rule: daily caps always (the engine's customer rules, which staff cannot
    lift); the minimum notice unless `lift_notice`."""

    lift_notice: bool = False

    def query(self, query: SlotQuery) -> SlotQuery:
        """The search with this rule."""
        return replace(query, is_customer_initiated=True, ignore_minimum_notice=self.lift_notice)

    def hold(self, request: HoldRequest) -> HoldRequest:
        """The hold, checked with this rule."""
        return replace(request, is_customer_initiated=True, ignore_minimum_notice=self.lift_notice)


MOVE = StaffRule(lift_notice=True)  # moving a booked meeting: the notice is lifted, caps are not
