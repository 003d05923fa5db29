"""Company size: "about two hundred", "50-100", "5k+", "just me" → head-count."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.numbers import first_amount_or_range, midpoint, words_to_digits
from bot.answers.phrases import Phrases, clean
from bot.errors import InvalidInput

_NOT_UNDERSTOOD = (
    "Sorry, I didn't get the size of your company — roughly how many people "
    "work there? A number like 40 or a range like 200-500 is fine."
)


@functools.cache
def _solo_phrases(lookups: Lookups) -> Phrases:
    return Phrases({"solo": lookups.terms("company_size_solo")})


def parse_company_size(text: str, lookups: Lookups | None = None) -> int:
    """Read a head-count from a free answer.

    A range ("50-100", "between 200 and 500") becomes its midpoint, rounded
    half up (75, 350): the lead score needs one number and the middle is the
    fairest guess. A lower bound ("5k+", "over 500") counts as that bound.
    Answers from ``company_size_solo`` ("just me") count as 1.

    Raises:
        InvalidInput: no number, or one below 1.
    """
    tables = lookups or default_lookups()
    cleaned = clean(text)
    digits = words_to_digits(cleaned)
    found = first_amount_or_range(digits)
    if found is None:
        if _solo_phrases(tables).find(cleaned):
            return 1
        raise InvalidInput(_NOT_UNDERSTOOD)
    low, high = found
    value = low.value if high is None else midpoint(low.value, high.value)
    size = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if size < 1:
        raise InvalidInput(_NOT_UNDERSTOOD)
    return size
