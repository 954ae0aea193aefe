"""The shape of a customer's e-mail address, checked wherever one comes in (wizard, staff, API).

Exactly one plain address: no spaces, and none of the characters that make an address list or a
display name (`,` `;` `<` `>` `"` `(` `)` `[` `]` `\\` `:`), so an address can never add a second
recipient to the e-mails sent to it. Anything more exotic is not a customer's address.
"""

from __future__ import annotations

import re

_PLAIN = r"[^@\s,;<>\"()\[\]\\:]+"
EMAIL = re.compile(rf"^{_PLAIN}@{_PLAIN}\.{_PLAIN}$")


def is_email(text: str) -> bool:
    """`text` (spaces around it ignored) is one plain e-mail address."""
    return EMAIL.match(text.strip()) is not None
