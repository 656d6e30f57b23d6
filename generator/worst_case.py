"""The most expensive answers document the contract accepts: every list at its `maxItems`, every
free-text field at its `maxLength`, read from the schema itself, so it follows the bounds when they
change. `make bench` renders it (the bound the issue sets is 10 s for the PDF); the tests check that
the contract accepts it.
"""
import itertools
from functools import lru_cache
from typing import Any

from generator.answers.loader import schema

WORDS = (
    "hosting customer account invoice backup server request support domain registrar address "
    "retention security processing contract payment statutory legitimate interest provider "
    "transfer safeguard controller personal data lawful basis notice period encryption"
).split()


def text(length: int, seed: int = 0) -> str:
    """Plain words, exactly `length` characters: line breaking, shaping and hyphenation all work."""
    words = itertools.cycle(WORDS[seed % len(WORDS):] + WORDS[: seed % len(WORDS)])
    out = []
    size = 0
    while size < length:
        word = next(words)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)[:length].rstrip() + "x" * (length - len(" ".join(out)[:length].rstrip()))


def _node(*path: str) -> dict[str, Any]:
    node = schema()
    for part in path:
        if part == "[]":
            node = node["items"]
        else:
            node = node["properties"][part]
        if "anyOf" in node and "properties" not in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
    return node


def max_len(*path: str) -> int:
    return _node(*path)["maxLength"]


def max_items(*path: str) -> int:
    return _node(*path)["maxItems"]


def url(length: int, n: int) -> str:
    base = f"https://www{n}.example.com/"
    return base + ("p" * (length - len(base)))


def email(length: int, n: int) -> str:
    domain = f"@mail{n}.example.com"
    return "x" * (length - len(domain) - 10) + domain  # an address over 64 characters before @ is still accepted


def enum(*path: str) -> list[str]:
    return list(_node(*path, "[]")["enum"])


@lru_cache(maxsize=1)
def worst_case_answers() -> dict[str, Any]:
    from generator.library import get_catalogues

    cat = get_catalogues()
    L = max_len
    business: dict[str, Any] = {
        "legal_name": text(L("business", "legal_name"), 1),
        "trading_name": text(L("business", "trading_name"), 2),
        "websites": [url(L("business", "websites", "[]"), i) for i in range(max_items("business", "websites"))],
        "company_number": "9" * L("business", "company_number"),
        "address": text(L("business", "address"), 3),
        "country": "DE",
        "contact_email": "privacy@example.com",
        "contact_url": url(L("business", "contact_url"), 99),
        "phone": "+" + "4" * (L("business", "phone") - 1),
    }
    for i, role in enumerate(("dpo", "eu_representative", "uk_representative", "ch_representative")):
        business[role] = {
            "name": text(L("business", role, "name"), 4 + i),
            "email": f"{role}@example.com",
            "address": text(L("business", role, "address"), 8 + i),
        }

    purposes = list(cat.purposes)
    data_ids = list(cat.data_categories)
    n_data = max_items("data")
    custom_ids = [f"custom_data_{i}" for i in range(n_data - len(data_ids))]
    all_data = data_ids + custom_ids

    def data_entry(data_id: str, i: int) -> dict[str, Any]:
        entry = {
            "id": data_id,
            "examples": [text(L("data", "[]", "examples", "[]"), i + j) for j in range(max_items("data", "[]", "examples"))],
            "purposes": list(itertools.islice(itertools.cycle(purposes), max_items("data", "[]", "purposes"))),
            "legal_basis": "legitimate_interests",
            "retention": "while_active",
            "retention_after": "P6Y",
            "retention_starts": text(L("data", "[]", "retention_starts"), i),
            "retention_reason": text(L("data", "[]", "retention_reason"), i + 1),
            "description": text(L("data", "[]", "description"), i + 2),
            "source": text(L("data", "[]", "source"), i + 3),
        }
        if data_id not in cat.data_categories:
            entry["name"] = text(L("data", "[]", "name") - 4, i) + f" {i:03d}"
        return entry

    data = [data_entry(d, i) for i, d in enumerate(all_data)]
    overrides = [
        {"data": d, "purpose": p, "legal_basis": "contract"}
        for d, p in itertools.islice(itertools.cycle(itertools.product(all_data, purposes)), max_items("purposes"))
    ]

    countries = [c for c in cat.countries if c not in ("DE",)]

    def cookie(i: int, path: tuple[str, ...]) -> dict[str, Any]:
        return {
            "name": text(L(*path, "[]", "name") - 6, i) + f"_{i:05d}",
            "purpose": "analytics",
            "duration": "P1Y",
            "provider": text(L(*path, "[]", "provider"), i + 1),
            "description": text(L(*path, "[]", "description"), i + 2),
        }

    n_proc = max_items("processors")
    processors = []  # custom processors: each carries more text than a catalogue entry
    for i in range(n_proc):
        processors.append({
            "name": text(L("processors", "[]", "name") - 4, i) + f" {i:03d}",
            "entity": text(L("processors", "[]", "entity"), i + 1),
            "description": text(L("processors", "[]", "description"), i + 2),
            "purpose": text(L("processors", "[]", "purpose"), i + 3),
            "country": "US",
            "data": list(itertools.islice(itertools.cycle(all_data), max_items("processors", "[]", "data"))),
            "privacy_url": url(L("processors", "[]", "privacy_url"), i),
            "safeguard": "scc",
            "transfer_countries": countries[: max_items("processors", "[]", "transfer_countries")],
            "cookies": [cookie(i * 100 + j, ("processors", "[]", "cookies")) for j in range(max_items("processors", "[]", "cookies"))],
        })

    return {
        "format": "privacy-policy-answers/1",
        "business": business,
        "roles": {"processor_for_customers": True},
        "services": enum("services"),
        "control_panel_url": url(L("control_panel_url"), 7),
        "data": data,
        "purposes": overrides,
        "processors": processors,
        "cookies": {
            "banner": True,
            "items": [cookie(i, ("cookies", "items")) for i in range(max_items("cookies", "items"))],
        },
        "storage_locations": ["DE"] + countries[: max_items("storage_locations") - 1],
        "transfers": {"safeguards": enum("transfers", "safeguards")},
        "jurisdictions": enum("jurisdictions"),
        "automated_decisions": {"order_fraud_screening": True},
        "marketing": {"email": "opt_in", "remarketing": True, "sells_personal_data": True},
        "rights": {"response_days": 90, "request_channels": enum("rights", "request_channels")},
        "security": {
            "measures": [text(L("security", "measures", "[]") - 4, i) + f" {i:03d}" for i in range(max_items("security", "measures"))],
            "breach_notice_hours": 72,
        },
        "children": {"min_age": 16},
        "changes": {"notice_days": 30, "notify_by": enum("changes", "notify_by")},
        "registrations": enum("registrations"),
    }
