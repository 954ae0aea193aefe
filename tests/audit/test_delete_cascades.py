"""Deleting a configuration item records every row the deletion changes, not only the item itself:
rows the database would otherwise change or remove on its own (ON DELETE CASCADE / SET NULL) are
changed through the session first, so the trail shows them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.configuration.accounts import create_staff_user
from app.configuration.items import delete_item
from app.extensions import db
from tests import factories
from tests.audit.helpers import records

LATER = datetime(2026, 6, 1, tzinfo=UTC)  # after the factories' meetings


def test_deleting_an_advisor_records_their_busy_times_account_link_and_groups(app):
    factories.settings()
    ada = factories.employee()
    busy = factories.busy(ada, factories.at(9), factories.at(10))
    group = factories.competence_group("Pensions", members=[ada])
    account = create_staff_user("ada@bank.test", "a long password 1", now=LATER, employee_id=ada.id)
    db.session.commit()
    ada_id, busy_id, account_id, group_id = ada.id, busy.id, account.id, group.id

    delete_item("employees", ada_id, now=LATER)

    assert [r.entity_id for r in records(entity="employee", action="delete")] == [ada_id]
    assert [r.entity_id for r in records(entity="busy_time", action="delete")] == [busy_id]
    (link,) = records(entity="staff_account", action="update")
    assert link.entity_id == account_id and link.changes["employee_id"] == [ada_id, None]
    (membership,) = records(entity="competence_group", action="update")
    assert membership.entity_id == group_id and membership.changes["members"] == [[ada_id], []]


def test_deleting_a_topic_records_the_past_meetings_and_subtopics_it_touches(app):
    factories.settings()
    ada = factories.employee()
    parent = factories.topic("Loans")
    child = factories.topic("Car loans", parent_id=parent.id)
    past = factories.meeting(ada, factories.at(9), topic=parent)
    db.session.commit()
    assert past.end_at < LATER - timedelta(days=1)
    parent_id, child_id, past_id = parent.id, child.id, past.id

    delete_item("topics", parent_id, now=LATER)

    (moved,) = records(entity="topic", action="update")
    assert moved.entity_id == child_id and moved.changes == {"parent_id": [parent_id, None]}
    (meeting,) = records(entity="meeting", action="update")
    assert meeting.entity_id == past_id and meeting.changes == {"topic_id": [parent_id, None]}
