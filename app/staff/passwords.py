"""Staff passwords: Argon2id (argon2-cffi) for every new hash; werkzeug's older hashes are still
verified once and replaced by an Argon2 hash at that successful sign-in (`verify` says so)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

# argon2-cffi's defaults: RFC 9106's low-memory profile (Argon2id, t=3, m=64 MiB, p=4).
HASHER = PasswordHasher()
ARGON2_PREFIX = "$argon2"
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Verdict:
    """Whether the password matched, and whether its stored hash should be replaced now."""

    ok: bool
    rehash: bool = False


def hash_password(password: str) -> str:
    """A new Argon2id hash of `password`."""
    return HASHER.hash(password)


def verify(stored: str | None, password: str) -> Verdict:
    """Check `password` against a stored Argon2 or (legacy) werkzeug hash."""
    if not stored:
        burn_time(password)  # an account without a password takes as long to refuse
        return Verdict(False)
    if stored.startswith(ARGON2_PREFIX):
        try:
            HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return Verdict(False)
        return Verdict(True, rehash=HASHER.check_needs_rehash(stored))
    if check_password_hash(stored, password):  # werkzeug's scrypt/pbkdf2 from before Argon2
        return Verdict(True, rehash=True)
    return Verdict(False)


_dummy_hashes: dict[tuple[object, ...], str] = {}


def _dummy_hash() -> str:
    """A hash made with the hasher's own parameters, so checking it costs what a real one does."""
    h = HASHER
    key = (h.time_cost, h.memory_cost, h.parallelism, h.hash_len, h.salt_len, h.type)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = h.hash("not-a-password-of-anyone")
    return _dummy_hashes[key]


def warm_up() -> None:
    """Make the dummy hash at start-up, so the first unknown e-mail is not slower than the rest."""
    _dummy_hash()


def burn_time(password: str) -> None:
    """Spend what a real check costs, so an unknown e-mail is refused in the same time."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        HASHER.verify(_dummy_hash(), password)
