"""The Nordbank demo configuration: Danish branches, advisors, topics, groups and holidays.

`demo_document(today)` returns it in the import file's format, so it goes through the same
validation and configuration services as `bookme import`. Ids derive from names (uuid5), so links
and tests can rely on them; busy times are placed relative to `today`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays

TIME_ZONE = "Europe/Copenhagen"
_NAMESPACE = uuid.UUID("6f1c2a4e-8a53-4c1b-9a0e-5b9f7d0c2e11")

LOCATIONS = [
    (
        "Branch-North",
        ["Copenhagen", "Frederiksberg", "Østerbro"],
        "Østerbrogade 120, 2100 København Ø",
        True,
    ),
    ("Branch-City", ["Indre By", "Vesterbro", "Amager"], "Amagertorv 9, 1160 København K", True),
    ("Branch-Aarhus", ["Aarhus", "Risskov", "Viby J"], "Søndergade 20, 8000 Aarhus C", False),
    ("Branch-Odense", ["Odense", "Funen"], "Vestergade 45, 5000 Odense C", False),
]
ROOMS = {
    "Branch-North": ["Nørrebro", "Østerbro", "Fælledparken"],
    "Branch-City": ["Nyhavn", "Strøget"],
    "Branch-Aarhus": ["Marselisborg", "Mols"],
    "Branch-Odense": ["H.C. Andersen"],
}
CUSTOMER_TYPES = ["Private", "Business", "Private Banking", "Agriculture"]
PRIVATE, BUSINESS, PB, AGRI = CUSTOMER_TYPES
# What customers read (the stored names stay, so ids and the API's `name` do not change), in
# the order a bank asks: private customers first.
DA, EN = "da-DK", "en-GB"
BRANCH_NAMES = {
    "Branch-North": {DA: "København – Østerbro", EN: "Copenhagen – Østerbro"},
    "Branch-City": {DA: "København – Strøget", EN: "Copenhagen – Strøget"},
    "Branch-Aarhus": {DA: "Aarhus – Søndergade", EN: "Aarhus – Søndergade"},
    "Branch-Odense": {DA: "Odense – Vestergade", EN: "Odense – Vestergade"},
}
CUSTOMER_TYPE_NAMES = {
    PRIVATE: {DA: "Privatkunde", EN: "Personal customer"},
    PB: {DA: "Private Banking-kunde", EN: "Private Banking customer"},
    BUSINESS: {DA: "Erhvervskunde", EN: "Business customer"},
    AGRI: {DA: "Landbrugskunde", EN: "Agricultural customer"},
}
CUSTOMER_TYPE_ORDER = [PRIVATE, PB, BUSINESS, AGRI]
TOPIC_NAMES = {
    "Mortgage": {DA: "Boliglån og boligkøb", EN: "Mortgage and buying a home"},
    "Pension": {DA: "Pension", EN: "Pension"},
    "Investment": {DA: "Investering", EN: "Investing"},
    "Everyday banking": {DA: "Daglig økonomi", EN: "Everyday banking"},
    "Business loan": {DA: "Erhvervslån", EN: "Business loan"},
    "Agricultural financing": {DA: "Landbrugsfinansiering", EN: "Agricultural financing"},
    "Internal review": {DA: "Intern gennemgang", EN: "Internal review"},
}
# name, minutes, meeting types, customer types (empty = all), bookable by customers
TOPICS = [
    ("Mortgage", 60, ["physical", "online"], [PRIVATE, PB], True),
    ("Pension", 60, ["physical", "online", "telephone"], [PRIVATE, PB], True),
    ("Investment", 60, ["physical", "online"], [PRIVATE, PB], True),
    ("Everyday banking", 45, ["physical", "online", "telephone"], [], True),
    ("Business loan", 60, ["physical", "online", "offsite"], [BUSINESS, AGRI], True),
    ("Agricultural financing", 90, ["physical", "offsite"], [AGRI], True),
    ("Internal review", 30, ["physical", "online"], [], False),
]
HOUSING = ["Mortgage", "Everyday banking"]
WEALTH = ["Pension", "Investment", "Everyday banking"]
BUSINESS_TOPICS = ["Business loan", "Everyday banking"]
AGRI_TOPICS = ["Agricultural financing", "Business loan"]
ALL_KINDS = list(CUSTOMER_TYPES)
# first, last, home branch, schedule pattern, topics, customer types
ADVISORS = [
    ("Mette", "Frederiksen", "Branch-North", "full", [*HOUSING, "Internal review"], [PRIVATE]),
    ("Lars", "Nielsen", "Branch-North", "full", [*WEALTH, "Internal review"], [PRIVATE, PB]),
    ("Sofie", "Jensen", "Branch-North", "part", HOUSING, [PRIVATE]),
    ("Anders", "Hansen", "Branch-North", "split", HOUSING + WEALTH, [PRIVATE, PB]),
    ("Nikolaj", "Holm", "Branch-North", "full", BUSINESS_TOPICS, [BUSINESS, AGRI]),
    (
        "Camilla",
        "Pedersen",
        "Branch-City",
        "full",
        [*BUSINESS_TOPICS, "Internal review"],
        [BUSINESS],
    ),
    ("Mads", "Andersen", "Branch-City", "late", WEALTH, [PB]),
    ("Ida", "Christensen", "Branch-City", "part", HOUSING, [PRIVATE]),
    ("Rasmus", "Larsen", "Branch-City", "remote", ["Everyday banking", "Pension"], ALL_KINDS),
    ("Freja", "Sørensen", "Branch-North", "remote", ["Everyday banking"], ALL_KINDS),
    ("Jonas", "Rasmussen", "Branch-Aarhus", "full", [*HOUSING, "Pension"], [PRIVATE]),
    ("Emma", "Jørgensen", "Branch-Aarhus", "late", BUSINESS_TOPICS, [BUSINESS, AGRI]),
    ("Søren", "Østergaard", "Branch-Aarhus", "agri", AGRI_TOPICS, [AGRI]),
    ("Anne", "Madsen", "Branch-Odense", "full", HOUSING + WEALTH, [PRIVATE]),
    ("Peter", "Kristensen", "Branch-Odense", "agri", AGRI_TOPICS, [AGRI, BUSINESS]),
    ("Julie", "Olsen", "Branch-Odense", "part", ["Everyday banking"], [PRIVATE]),
    ("Henrik", "Thomsen", "Branch-North", "split", ["Investment", "Pension"], [PB]),
    ("Karen", "Poulsen", "Branch-City", "full", ["Internal review"], [PRIVATE, BUSINESS]),
]
NOT_BOOKABLE = {"Karen"}  # the branch manager: has an account, takes no meetings
ONLY_EXPLICIT = {"Henrik"}  # private banker: booked only by name
_DANISH = {ord("æ"): "ae", ord("ø"): "oe", ord("å"): "aa"}
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday")


def demo_id(kind: str, name: str) -> str:
    """A stable id for a demo item, so links and tests can rely on it."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))


def demo_email(first: str, last: str) -> str:
    """first.last@nordbank.example, with æ, ø and å spelt ae, oe and aa."""
    plain = f"{first}.{last}".lower().translate(_DANISH)
    return f"{plain}@nordbank.example"


def _day(start: str, end: str, types: list[str], location: str | None = None) -> dict[str, Any]:
    day: dict[str, Any] = {"from": start, "to": end, "meeting_types": types}
    if location:
        day["location"] = location
    return day


def _schedule(pattern: str) -> dict[str, Any]:
    """A week: full time, part time, Copenhagen/Aarhus split, remote, late or field days."""
    both = ["physical", "online"]
    if pattern == "full":
        week = {d: _day("08:30", "16:00", both) for d in WEEK[:4]}
        return {**week, "friday": _day("08:30", "15:00", ["online", "telephone"])}
    if pattern == "part":
        return {d: _day("09:00", "13:00", both) for d in ("monday", "tuesday", "thursday")}
    if pattern == "split":
        week = {d: _day("09:00", "16:00", both, "Branch-North") for d in WEEK[:3]}
        return {
            **week,
            **{d: _day("09:00", "15:00", ["physical"], "Branch-Aarhus") for d in WEEK[3:]},
        }
    if pattern == "remote":
        return {d: _day("09:00", "17:00", ["online", "telephone"]) for d in WEEK}
    if pattern == "late":
        return {d: _day("10:00", "18:00", both) for d in WEEK[1:]}
    return {d: _day("08:00", "15:30", ["physical", "offsite", "telephone"]) for d in WEEK[:4]}


def _employees(today: date) -> list[dict[str, Any]]:
    rows = []
    for first, last, home, pattern, topics, kinds in ADVISORS:
        email = demo_email(first, last)
        rows.append(
            {
                "id": demo_id("employee", email),
                "email": email,
                "first_name": first,
                "last_name": last,
                "home_location": home,
                "can_be_booked": first not in NOT_BOOKABLE,
                "only_explicitly_available": first in ONLY_EXPLICIT,
                "skills": {"topics": topics, "customer_types": kinds},
                "schedule": _schedule(pattern),
                "busy_times": _busy_times(email, today),
            }
        )
    return rows


def _busy_times(email: str, today: date) -> list[dict[str, Any]]:
    """A holiday next week, an external calendar entry tomorrow, a day working elsewhere."""

    def at(days: int, hour: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour))

    busy = {
        demo_email("Lars", "Nielsen"): [(at(7, 0), at(10, 0), "absence", "Summer holiday")],
        demo_email("Mette", "Frederiksen"): [(at(1, 9), at(1, 11), "external", "Credit committee")],
        demo_email("Anne", "Madsen"): [
            (at(2, 8), at(2, 17), "elsewhere", "Working from Svendborg")
        ],
        demo_email("Jonas", "Rasmussen"): [(at(3, 12), at(3, 16), "absence", "Doctor")],
    }.get(email, [])
    return [{"start": s, "end": e, "kind": k, "note": n} for s, e, k, n in busy]


def holiday_list(today: date) -> list[dict[str, Any]]:
    """Danish public holidays and bank closing days, this year and next, from `holidays`."""
    years = [today.year, today.year + 1]
    found = dict(holidays.country_holidays("DK", years=years, categories=("public", "optional")))
    for day, name in list(found.items()):
        if name == "Ascension Day":  # Danish banks also close the Friday after
            found[day + timedelta(days=1)] = "Bank holiday (Friday after Ascension Day)"
    return [{"date": day, "name": name} for day, name in sorted(found.items())]


def demo_document(today: date) -> dict[str, Any]:
    """The demo configuration as an import file would hold it."""
    return {
        "settings": {
            "name": "Nordbank",
            "time_zone": TIME_ZONE,
            "opening_time": "08:00",
            "closing_time": "18:00",
            "max_days_ahead": 60,
            "default_meeting_minutes": 60,
            "buffer_after_minutes": 15,
            "min_notice_minutes": 120,
            "max_meeting_minutes_per_day": 360,
        },
        "locations": [
            {
                "id": demo_id("location", n),
                "name": n,
                "localized_names": BRANCH_NAMES[n],
                "areas": a,
                "address": ad,
                "require_room": r,
            }
            for n, a, ad, r in LOCATIONS
        ],
        "rooms": [
            {
                "id": demo_id("room", f"{loc}/{name}"),
                "name": name,
                "location": loc,
                "capacity": 4 + 2 * i,
            }
            for loc, names in ROOMS.items()
            for i, name in enumerate(names)
        ],
        "customer_types": [
            {
                "id": demo_id("customer_type", n),
                "name": n,
                "localized_names": CUSTOMER_TYPE_NAMES[n],
                "order": CUSTOMER_TYPE_ORDER.index(n),
            }
            for n in CUSTOMER_TYPES
        ],
        "topics": [
            {
                "id": demo_id("topic", n),
                "name": n,
                "localized_names": TOPIC_NAMES[n],
                "duration_minutes": m,
                "meeting_types": t,
                "customer_types": c,
                "is_customer": pub,
                "order": i,
            }
            for i, (n, m, t, c, pub) in enumerate(TOPICS)
        ],
        "employees": _employees(today),
        "competence_groups": _competence_groups(),
        "service_groups": _service_groups(),
        "closing_days": holiday_list(today),
    }


def _competence_groups() -> list[dict[str, Any]]:
    """Advisory > Housing > Mortgage specialists, Advisory > Wealth, Business > Agriculture."""
    groups = [
        ("Advisory", None, [], [], []),
        ("Housing", "Advisory", [], ["Everyday banking"], [PRIVATE]),
        (
            "Mortgage specialists",
            "Housing",
            [("Mette", "Frederiksen"), ("Anders", "Hansen")],
            ["Mortgage"],
            [PRIVATE, PB],
        ),
        (
            "Wealth",
            "Advisory",
            [("Lars", "Nielsen"), ("Henrik", "Thomsen")],
            ["Pension", "Investment"],
            [PB],
        ),
        ("Business", None, [("Camilla", "Pedersen")], ["Business loan"], [BUSINESS]),
        (
            "Agriculture",
            "Business",
            [("Søren", "Østergaard"), ("Peter", "Kristensen")],
            ["Agricultural financing"],
            [AGRI],
        ),
    ]
    return [
        {
            "id": demo_id("competence_group", n),
            "name": n,
            "parent": p,
            "members": [demo_email(f, last) for f, last in m],
            "topics": t,
            "customer_types": c,
        }
        for n, p, m, t, c in groups
    ]


def _service_groups() -> list[dict[str, Any]]:
    """Remote advice and remote specialists by video and telephone; a field team for farms."""
    return [
        {
            "id": demo_id("service_group", "Remote advice"),
            "name": "Remote advice",
            "label": "Online and telephone advice, whole country",
            "topics": ["Everyday banking", "Pension"],
            "meeting_types": ["online", "telephone"],
            "employees": [demo_email("Rasmus", "Larsen"), demo_email("Freja", "Sørensen")],
            "max_meeting_minutes_per_day": 420,
        },
        {
            "id": demo_id("service_group", "Remote specialists"),
            "name": "Remote specialists",
            "label": "Mortgage, investment and business advice by video and telephone",
            "topics": ["Mortgage", "Investment", "Business loan"],
            "meeting_types": ["online", "telephone"],
            "competence_groups": ["Mortgage specialists", "Wealth", "Business"],
        },
        {
            "id": demo_id("service_group", "Agriculture field team"),
            "name": "Agriculture field team",
            "label": "Advisors who visit farms",
            "customer_types": [AGRI],
            "customer_locations": ["Aarhus", "Odense", "Funen"],
            "meeting_types": ["offsite", "physical"],
            "locations": ["Branch-Aarhus", "Branch-Odense"],
            "competence_groups": ["Agriculture"],
        },
    ]
