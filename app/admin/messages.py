"""The configuration validation's messages (English, shared with the import and the API) in the
visitor's language for the admin pages; a message not listed here is shown as it is."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

RULES: tuple[Rule, ...] = (
    (re.compile(r"^String should have at least 1 character"), lambda m: _("Enter a value.")),
    (
        re.compile(r"^String should have at most (\d+) characters?"),
        lambda m: _("Use at most %(n)s characters.", n=m[1]),
    ),
    (re.compile(r"^may not be null"), lambda m: _("Enter a value.")),
    (re.compile(r"^Field required"), lambda m: _("Enter a value.")),
    (re.compile(r"^Input should be a valid integer"), lambda m: _("Enter a whole number.")),
    (re.compile(r"^Input should be a valid date"), lambda m: _("Enter a date.")),
    (re.compile(r"^Input should be a valid string"), lambda m: _("Enter a value.")),
    (
        re.compile(r"^Input should be greater than (-?\d+)"),
        lambda m: _("Enter a number greater than %(n)s.", n=m[1]),
    ),
    (
        re.compile(r"^Input should be greater than or equal to (-?\d+)"),
        lambda m: _("Enter %(n)s or more.", n=m[1]),
    ),
    (
        re.compile(r"^Input should be less than or equal to (-?\d+)"),
        lambda m: _("Enter at most %(n)s.", n=m[1]),
    ),
    (re.compile(r"^invalid time"), lambda m: _("Enter a time as HH:MM.")),
    (
        re.compile(r"^unknown time zone"),
        lambda m: _("Enter a time zone such as Europe/Copenhagen."),
    ),
    (re.compile(r"^unknown meeting type"), lambda m: _("Choose a meeting type from the list.")),
    (
        re.compile(r"^unknown \w[\w ]* \"(.*)\"$"),
        lambda m: _("%(name)s no longer exists.", name=m[1]),
    ),
    (
        re.compile(r"^opening_time must be before closing_time"),
        lambda m: _("The opening time must be before the closing time."),
    ),
    (
        re.compile(r"parents form a cycle|tree has a cycle"),
        lambda m: _("A group cannot be its own parent."),
    ),
    (
        re.compile(r"at most (\d+) levels"),
        lambda m: _("The tree may have at most %(n)s levels.", n=m[1]),
    ),
    (
        re.compile(r"^name \"(.*)\" already belongs to"),
        lambda m: _("The name %(name)s is taken.", name=m[1]),
    ),
    (
        re.compile(r"^duplicate room"),
        lambda m: _("This branch already has a room with that name."),
    ),
    (
        re.compile(r'^service group "(.*)" is limited to it alone'),
        lambda m: _(
            "The service group %(name)s is limited to it alone; change the group first.",
            name=m[1],
        ),
    ),
    (
        re.compile(r"^topics are limited to this customer type"),
        lambda m: _("Topics are limited to this customer type; change them first."),
    ),
    (
        re.compile(r"^this branch still has rooms"),
        lambda m: _("This branch still has rooms; delete them or move them first."),
    ),
    (
        re.compile(r"^this advisor already has an active staff account"),
        lambda m: _("This advisor already has an active staff account."),
    ),
    (
        re.compile(r"^you cannot disable your own account"),
        lambda m: _("You cannot disable your own account."),
    ),
    (
        re.compile(r"priority level|^level \d+: |only one (Explicit|Local) level|listed twice"),
        lambda m: _(
            "Write one level per line: Explicit, Local, ServiceGroup or ServiceGroup: label; "
            "Explicit and Local at most once, no level twice."
        ),
    ),
    (
        re.compile(r"^booked meetings"),
        lambda m: _("Booked meetings still depend on it; move or cancel them first."),
    ),
)


def translate(message: str) -> str:
    """A validation message in the visitor's language."""
    for pattern, text in RULES:
        match = pattern.search(message)
        if match:
            return text(match)
    return message
