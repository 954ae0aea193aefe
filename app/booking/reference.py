"""A meeting's booking reference: short enough to read over the phone, the same wherever shown.

The confirmation page, the private-link page, the calendar file and (later) the e-mails call
`reference_of(meeting)`; it derives from the meeting's id, so nothing extra is stored.
"""

from __future__ import annotations

from typing import Protocol

PREFIX = "BM"
# Letters and digits no one mixes up when reading aloud (no 0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


class HasId(Protocol):
    id: str


def reference_of(meeting: HasId) -> str:
    """`BM-7KQ4-M9XZ`: the meeting id's first 40 bits, in an alphabet read aloud without doubt."""
    value = int(meeting.id.replace("-", "")[:10], 16)
    chars = []
    for _ in range(LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[digit])
    code = "".join(reversed(chars))
    return f"{PREFIX}-{code[:4]}-{code[4:]}"
