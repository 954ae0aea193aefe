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
