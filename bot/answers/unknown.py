"""'No idea': an answer that says the visitor doesn't know.

Asking the same question again would only annoy; the caller skips it.
Phrases come from the ``answer_unknown`` table in ``data/lookups/answers.yml``.
"""

from __future__ import annotations

import re

from bot.answers.lookups import Lookups, default_lookups

_NOISE = re.compile(r"[^\w\s']+")


def is_unknown(text: str, lookups: Lookups | None = None) -> bool:
    """Whether the whole answer only says "I don't know"."""
    words = " ".join(_NOISE.sub(" ", text.lower().replace("’", "'")).split())
    return words in (lookups or default_lookups()).terms("answer_unknown")
