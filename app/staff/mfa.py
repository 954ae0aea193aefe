"""The second factor of local staff accounts: TOTP (RFC 6238, 30-second steps, six digits) and
one-time recovery codes.

The secret is stored encrypted (Fernet) with a key derived from SECRET_KEY, so a copy of the
database alone does not give the codes away. A code is accepted one step either side of now
(`valid_window=1`), and never for a step at or before the last one accepted (no replay). Recovery
codes are kept as SHA-256 hashes (they are random, 50 bits each, so a slow hash adds nothing) and
each is removed when used.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
from datetime import datetime

import pyotp
import qrcode
import qrcode.image.svg
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import ColumnElement, or_, update

from app.crypto import fernet
from app.extensions import db
from app.models import OrganisationSettings, User

ISSUER = "BookMe"
RECOVERY_CODES = 10
STEP_SECONDS = 30


def _fernet() -> Fernet:
    return fernet("mfa-secret")  # the same key as before app/crypto.py: b"bookme-mfa-secret:" + key


def new_secret() -> str:
    """A fresh random TOTP secret (base32, 160 bits)."""
    return pyotp.random_base32(32)


def totp(secret: str) -> pyotp.TOTP:
    """The TOTP generator for a secret (six digits, 30 seconds)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS)


def secret_of(user: User) -> str | None:
    """The account's secret in clear, or None (none stored, or SECRET_KEY changed since)."""
    if user.mfa_secret is None:
        return None
    try:
        return _fernet().decrypt(user.mfa_secret.encode()).decode()
    except InvalidToken:
        return None


def is_required(user: User) -> bool:
    """Whether the account must have a second factor: admins always, others when the bank says."""
    if user.is_admin:
        return True
    settings = db.session.get(OrganisationSettings, 1)
    return bool(settings is not None and settings.staff_mfa_required)


def is_enabled(user: User) -> bool:
    """Whether the account has a confirmed second factor."""
    return user.mfa_enabled_at is not None


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return totp(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(text: str) -> str:
    """`text` as a QR code: an SVG drawn here, as a data: URI (no request leaves the page)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def start_enrolment(user: User, secret: str) -> None:
    """Keep a new, not yet confirmed secret for the account (encrypted) and commit."""
    user.mfa_secret = _fernet().encrypt(secret.encode()).decode()
    user.mfa_enabled_at = None
    user.mfa_recovery_codes = None
    user.mfa_last_step = None
    db.session.commit()


def _matching_step(user: User, code: str, now: datetime) -> int | None:
    """The time step a six-digit code belongs to (now, or one step either side), if not used yet."""
    secret = secret_of(user)
    code = code.strip().replace(" ", "")
    if secret is None or len(code) != 6 or not code.isdigit():
        return None
    generator, step = totp(secret), int(now.timestamp()) // STEP_SECONDS
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(generator.at(candidate * STEP_SECONDS), code):
            if user.mfa_last_step is not None and candidate <= user.mfa_last_step:
                return None
            return candidate
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()


def new_recovery_codes() -> list[str]:
    """Ten random codes, like `k7qm-2x9p-ht4c` (three groups of four, 50 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return [
        "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
        for _ in range(RECOVERY_CODES)
    ]


def confirm_enrolment(user: User, code: str, *, now: datetime) -> list[str] | None:
    """Turn the second factor on if `code` fits the new secret; the recovery codes, shown once."""
    step = _matching_step(user, code, now)
    if step is None:
        return None
    codes = new_recovery_codes()
    user.mfa_enabled_at = now
    user.mfa_last_step = step
    user.mfa_recovery_codes = json.dumps([_hash(c) for c in codes])
    db.session.commit()
    return codes


def _spend(user: User, condition: ColumnElement[bool], **values: object) -> bool:
    """Write `values` only if `condition` still holds: two requests with one code, one wins."""
    result = db.session.execute(update(User).where(User.id == user.id, condition).values(**values))
    db.session.commit()
    db.session.refresh(user)
    return bool(getattr(result, "rowcount", 0) == 1)


def check_code(user: User, code: str, *, now: datetime) -> bool:
    """A current TOTP code (not used before) or an unused recovery code; either is spent."""
    step = _matching_step(user, code, now)
    if step is not None:
        unused = or_(User.mfa_last_step.is_(None), User.mfa_last_step < step)
        return _spend(user, unused, mfa_last_step=step)
    stored = user.mfa_recovery_codes
    hashes = json.loads(stored or "[]")
    typed = _hash(code)
    if stored is None or typed not in hashes:
        return False
    hashes.remove(typed)
    return _spend(user, User.mfa_recovery_codes == stored, mfa_recovery_codes=json.dumps(hashes))


def reset(user: User) -> None:
    """Forget the second factor (secret, codes, last step); the account enrols again if required."""
    user.mfa_secret = None
    user.mfa_enabled_at = None
    user.mfa_recovery_codes = None
    user.mfa_last_step = None
    db.session.commit()
