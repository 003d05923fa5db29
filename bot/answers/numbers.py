"""Numbers as visitors type them: "twelve", "1,200", "20.000", "5k+", "50-100".

Words become digits with ``text2num`` (``alpha2digit``); digit strings are
read by ``price-parser``, which knows that "20.000" and the Swiss "20'000"
are twenty thousand and "1,5" one and a half; this module only adds the
scale words ("k", "million") and ranges that neither library covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from price_parser.parser import extract_price_text, parse_number
from text_to_num import alpha2digit

# Quantities that text2num leaves as words, mapped before it runs.
_QUANTITY_WORDS = (
    (re.compile(r"\b(?:a few|several) hundred\b"), "300"),
    (re.compile(r"\b(?:a few|several) thousand\b"), "3k"),
    (re.compile(r"\ba couple(?: of)? hundred\b"), "200"),
    (re.compile(r"\ba couple(?: of)? thousand\b"), "2k"),
    (re.compile(r"\ba dozen\b|\bdozen\b"), "12"),
    (re.compile(r"\ba couple(?: of)?\b"), "2"),
    (re.compile(r"\ba few\b|\bseveral\b"), "3"),
    (re.compile(r"\bhalf a year\b|\ba half year\b"), "6 months"),
    (re.compile(r"\ba year and a half\b"), "18 months"),
    (re.compile(r"\ba (hundred|thousand|million|billion)\b"), r"one \1"),
    (re.compile(r"\ban? (day|week|month|quarter|year)\b"), r"1 \1"),
)
# text2num leaves single digits as words ("two weeks"); answers here are
# short and about numbers, so they are written as digits too.
_DIGIT_WORDS = {
    word: str(digit)
    for digit, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    )
}
_DIGIT_WORD = re.compile(r"\b(" + "|".join(_DIGIT_WORDS) + r")\b")
# alpha2digit writes "one point five million" as "1.5 1000000".
_SPLIT_SCALE = re.compile(r"(\d+(?:\.\d+)?) (1000|1000000|1000000000)\b")
_SCALE_WORD = {"1000": "k", "1000000": "m", "1000000000": "bn"}

SCALES = {
    "k": 1_000,
    "thousand": 1_000,
    "grand": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mn": 1_000_000,
    "mio": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "lac": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
}
_NUMBER = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"  # 5,00,000 (Indian grouping)
    r"|"
    r"\d{1,3}(?:[,.' \u00a0]\d{3})+(?:[.,]\d+)?"  # 1,200 / 20.000 / 1 200 000
    r"|\d+(?:[.,]\d+)?"  # 1200 / 1.5 / 1,5
)
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?P<number>{_NUMBER})(?:\s*(?P<scale>{_SCALE})(?![a-z]))?",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|and|or)\s*")


@dataclass(frozen=True)
class Amount:
    """A number found in an answer, scale applied, with where it was."""

    value: Decimal
    start: int
    end: int
    scale: int = 1


def words_to_digits(text: str) -> str:
    """Lower-case ``text`` and write its number words as digits."""
    lowered = text.lower()
    for pattern, replacement in _QUANTITY_WORDS:
        lowered = pattern.sub(replacement, lowered)
    converted = str(alpha2digit(lowered, "en"))
    converted = _SPLIT_SCALE.sub(
        lambda m: m.group(1) + _SCALE_WORD[m.group(2)], converted
    )
    converted = _DIGIT_WORD.sub(lambda m: _DIGIT_WORDS[m.group()], converted)
    return converted


def find_amounts(text: str) -> list[Amount]:
    """Every number in ``text`` (already through :func:`words_to_digits`)."""
    found: list[Amount] = []
    for match in _AMOUNT.finditer(text):
        # price-parser's own clean-up first: it drops the Swiss "'" in
        # "30'000" (and reads "\u00a0" as a space), which parse_number does not.
        value = parse_number(extract_price_text(match.group("number")) or "")
        if value is None:
            continue
        scale = SCALES[match.group("scale").lower()] if match.group("scale") else 1
        found.append(
            Amount(
                value=Decimal(value) * scale,
                start=match.start(),
                end=match.end(),
                scale=scale,
            )
        )
    return found


def first_amount_or_range(text: str) -> tuple[Amount, Amount | None] | None:
    """The first number in ``text`` and, if it opens a range, the range's end.

    "10-20k" reads as 10 000 to 20 000: a scale written once after the second
    number applies to the first as well.
    """
    amounts = find_amounts(text)
    if not amounts:
        return None
    first = amounts[0]
    if len(amounts) > 1:
        second = amounts[1]
        between = text[first.end : second.start]
        if _RANGE_JOIN.fullmatch(between):
            if first.scale == 1 and second.scale > 1:
                first = Amount(
                    value=first.value * second.scale,
                    start=first.start,
                    end=first.end,
                    scale=second.scale,
                )
            return first, second
    return first, None


def midpoint(low: Decimal, high: Decimal) -> Decimal:
    """The middle of a range, whichever way round it was written."""
    return (low + high) / 2
