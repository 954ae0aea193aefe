"""Names in the customer's language: one `{locale tag: text}` map per topic, branch and customer type.

The map's keys are BCP 47 tags as the vendor API's `localizedName` writes them (`da-DK`, `en-GB`);
the page's language (`da`, `en`) picks one, and `name` is the fallback when it has no entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

# The tag each of the site's languages reads from a localized-name map.
LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}))?$")


class Named(Protocol):
    """A row with a stored name and an optional map of names per locale tag."""

    name: str
    localized_names: dict[str, str] | None


def canonical_tag(tag: str) -> str:
    """`da-dk` / `DA_DK` -> `da-DK`; anything not shaped like language[-REGION] is refused."""
    match = _TAG.match(tag.strip())
    if match is None:
        raise ValueError(f'"{tag}" is not a locale tag such as da-DK or en-GB')
    language, region = match[1].lower(), match[2]
    return f"{language}-{region.upper()}" if region else language


def name_in(names: Mapping[str, str] | None, fallback: str, language: str) -> str:
    """The name for `language` (`da`/`en`, or a full tag), else `fallback`."""
    if not names:
        return fallback
    tag = LANGUAGE_TAGS.get(language, language)
    return names.get(tag) or names.get(tag.split("-")[0]) or fallback


def localized_name(row: Named, language: str | None = None) -> str:
    """The row's name in `language` (default: the page's), falling back to `row.name`."""
    if language is None:
        from flask_babel import get_locale

        language = str(get_locale() or "en")
    return name_in(row.localized_names, row.name, language)


def localized_map(
    names: Mapping[str, str] | None, fallback: str, lang: str | None, home: str
) -> dict[str, str]:
    """The vendor's V3 `localizedName` for `?lang=`: never empty, never null.

    `lang` None or `all`: every enabled locale (`LANGUAGE_TAGS`) with an authored name, and the
    organisation's language `home` (a tag) always, its name defaulting to `fallback`. A tag: one
    entry under that tag, the authored name when the locale is enabled, else the home language's.
    """
    stored = {tag: text for tag, text in (names or {}).items() if tag in LANGUAGE_TAGS.values()}
    home_name = stored.get(home) or fallback
    if lang is None or lang.lower() == "all":
        return {**stored, home: home_name}
    tag = canonical_tag(lang)
    wanted = LANGUAGE_TAGS.get(tag, tag)
    return {tag: stored.get(wanted) or home_name}


def home_tag() -> str:
    """The organisation's own language as a tag (`BOOKME_MAIL_LOCALE`): what stored names are in."""
    from flask import current_app

    language = str(current_app.config.get("BOOKME_MAIL_LOCALE") or "da")
    return LANGUAGE_TAGS.get(language, "da-DK")
