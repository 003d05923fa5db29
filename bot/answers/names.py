"""Names and company names, as visitors type them.

Free text stays free text, but a lead-in ("my name is", "I work at") is not
part of the name: the longest lead-in from ``data/lookups/names.yml`` is cut
from the start, with trailing punctuation. What remains is kept as typed
(accents and capitals are the visitor's own).
"""

from __future__ import annotations

import re

from bot.answers.lookups import Lookups, default_lookups
from bot.errors import InvalidInput

MAX_LENGTH = 200
TRAILING = re.compile(r"[\s.!,;:]+$")


def clean_name(text: str, lookups: Lookups | None = None) -> str:
    """A person's name from an answer such as "my name is Sam Carter"."""
    return _strip(text, (lookups or default_lookups()).terms("name_lead_ins"), "name")


def clean_company(text: str, lookups: Lookups | None = None) -> str:
    """A company name from an answer such as "I work at Globex Corp."."""
    terms = (lookups or default_lookups()).terms("company_lead_ins")
    return _strip(text, terms, "company")


def _strip(text: str, lead_ins: tuple[str, ...], what: str) -> str:
    value = " ".join(text.split())
    lowered = value.lower()
    for lead_in in sorted(lead_ins, key=len, reverse=True):
        if (
            lowered == lead_in
            or lowered.startswith(lead_in + " ")
            or (lead_in.endswith(",") and lowered.startswith(lead_in))
        ):
            value = value[len(lead_in) :].lstrip(" ,")
            break
    value = TRAILING.sub("", value)
    if not any(ch.isalnum() for ch in value):
        raise InvalidInput(f"I didn't catch the {what}. Could you type it again?")
    return value[:MAX_LENGTH]
