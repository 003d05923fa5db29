"""Customers who want more: "we're on Starter and want to upgrade to Growth".

An existing customer with a problem goes to support; one who wants a bigger
plan, more seats or another team on it is new revenue for sales. A message
asks for more when it names an upgrade (``customer_upgrade``: "upgrade",
"higher tier") or more of something sold per seat (a ``customer_more``
word and a ``customer_units`` word: "add 10 more seats", "another team"),
and names no problem (``customer_problems``: "I tried to upgrade but the
payment failed" is for support). The tables are in
``data/lookups/answers.yml``.
"""

from __future__ import annotations

import functools

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.phrases import Phrases, clean


@functools.cache
def _phrases(lookups: Lookups) -> Phrases:
    return Phrases(
        {
            "upgrade": lookups.terms("customer_upgrade"),
            "more": lookups.terms("customer_more"),
            "unit": lookups.terms("customer_units"),
            "problem": lookups.terms("customer_problems"),
        }
    )


def wants_more(text: str, lookups: Lookups | None = None) -> bool:
    """Whether a customer's message asks to buy more (upgrade, seats, teams)."""
    found = {p.label for p in _phrases(lookups or default_lookups()).find(clean(text))}
    if "problem" in found:
        return False
    return "upgrade" in found or {"more", "unit"} <= found
