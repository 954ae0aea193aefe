"""Encryption at rest for the few columns that must not be readable from a copy of the database
(staff TOTP secrets, customers' CPR numbers): Fernet with a key derived from SECRET_KEY, one key per
purpose, so a leaked key of one purpose opens nothing else.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def fernet(purpose: str) -> Fernet:
    """The Fernet of one purpose (`mfa-secret`, `cpr`), keyed from SECRET_KEY."""
    seed = f"bookme-{purpose}:".encode() + str(current_app.secret_key).encode()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(seed).digest()))


def encrypt(purpose: str, text: str) -> str:
    """`text` encrypted for `purpose` (ASCII, safe for a text column)."""
    return fernet(purpose).encrypt(text.encode()).decode()


def decrypt(purpose: str, token: str | None) -> str | None:
    """The clear text, or None (nothing stored, or SECRET_KEY changed since)."""
    if token is None:
        return None
    try:
        return fernet(purpose).decrypt(token.encode()).decode()
    except InvalidToken:
        return None
