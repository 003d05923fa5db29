"""Customers who want more: "we're on Starter and want to upgrade to Growth".

An existing customer with a problem goes to support; one who wants a bigger
plan, more seats or another team on it is new revenue for sales. The
phrases come from the ``customer_expansion`` table in
``data/lookups/answers.yml``, each with a verb of wanting or buying ("need
more seats", not "more users": "our other users can't log in"); a word of
``customer_problems`` ("I tried to upgrade but the payment failed") sends
the message to support all the same.
"""

from __future__ import annotations

import functools

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.phrases import Phrases, clean


@functools.cache
def _phrases(lookups: Lookups) -> Phrases:
    return Phrases(
        {
            "more": lookups.terms("customer_expansion"),
            "problem": lookups.terms("customer_problems"),
        }
    )


def wants_more(text: str, lookups: Lookups | None = None) -> bool:
    """Whether a customer's message asks to buy more (upgrade, seats, teams)."""
    found = {p.label for p in _phrases(lookups or default_lookups()).find(clean(text))}
    return found == {"more"}
