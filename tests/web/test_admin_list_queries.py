"""The admin lists read in a fixed number of queries however many rows they show: the related rows
a column names (customer types, branch, members, topics, advisors) come with the rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import event

from app.extensions import db
from tests import factories
from tests.web.admin_helpers import sign_in_admin
from tests.web.data import World


def _topics(world: World, n: int) -> str:
    kind = factories.customer_type(f"Kind {n}")
    factories.topic(f"Topic {n}").customer_types = [kind]
    return f"Kind {n}"


def _rooms(world: World, n: int) -> str:
    factories.room(factories.location(f"Branch {n}"), name=f"Room {n}")
    return f"Branch {n}"


def _groups(world: World, n: int) -> str:
    group = factories.competence_group(f"Group {n}")
    member = factories.employee()
    member.display_name = f"Member {n}"
    group.members = [member]
    group.topics = [factories.topic(f"Skill {n}")]
    return f"Member {n}"


def _service_groups(world: World, n: int) -> str:
    factories.service_group(f"Pool {n}", employees=[factories.employee(), world.anna])
    return f"Pool {n}"


def _advisors(world: World, n: int) -> str:
    factories.employee(factories.location(f"Home {n}"))
    return f"Home {n}"


LISTS: dict[str, Callable[[World, int], str]] = {
    "/staff/admin/topics": _topics,
    "/staff/admin/rooms": _rooms,
    "/staff/admin/competence-groups": _groups,
    "/staff/admin/service-groups": _service_groups,
    "/staff/admin/advisors": _advisors,
}


def _count(client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


@pytest.mark.parametrize("url", list(LISTS))
def test_an_admin_list_asks_as_many_queries_for_many_rows_as_for_few(client, world, url):
    sign_in_admin(client)
    shown = [LISTS[url](world, n) for n in range(2)]
    db.session.commit()
    few, _ = _count(client, url)
    shown += [LISTS[url](world, n) for n in range(2, 8)]
    db.session.commit()
    many, html = _count(client, url)
    assert all(name in html for name in shown)
    assert many == few
