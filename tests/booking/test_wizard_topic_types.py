"""The wizard reads a topic's meeting types as the engine does: listing none offers every type."""

from __future__ import annotations

from app.booking.constants import MEETING_TYPES
from app.extensions import db
from app.wizard.choices import Choices, resolve


def test_a_topic_listing_no_meeting_types_offers_every_type_in_the_wizard(app, bank):
    bank.topic.meeting_types = []
    db.session.commit()
    with app.test_request_context():
        step = resolve(Choices(customer_type=bank.customer_type.id, topic=bank.topic.id))
        wanted = Choices(bank.customer_type.id, bank.topic.id, meeting_type="Online")
        chosen = resolve(wanted)
    assert step.meeting_types == list(MEETING_TYPES)
    assert chosen.choices.meeting_type == "Online"


def test_a_topic_listing_one_type_offers_only_that_one(app, bank):
    bank.topic.meeting_types = ["Telephone"]
    db.session.commit()
    with app.test_request_context():
        step = resolve(Choices(customer_type=bank.customer_type.id, topic=bank.topic.id))
    assert step.meeting_types == ["Telephone"]
    assert step.choices.meeting_type == "Telephone"
