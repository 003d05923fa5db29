"""Buying timelines: "asap", "this quarter", "in 3 months", "Q3", "by March".

Every answer becomes whole months from ``today`` until the visitor means to
start, rounded up (a date 1.5 months away is 2). "By <period>", "end of
<period>" and "this quarter/year" point at the period's last day; "next
<period>", "in <period>" and a bare period ("Q3", "2026") at its first day.
Month names and dates go to ``dateparser``; nothing is guessed beyond that.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rapidfuzz import fuzz, process

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.numbers import words_to_digits
from bot.answers.phrases import Phrases, clean
from bot.errors import InvalidInput

_NOT_UNDERSTOOD = (
    "Sorry, I didn't get the timing — when would you like to get started? "
    '"ASAP", "in 3 months", "Q3" or "just researching" are all fine.'
)
_DAYS_PER_MONTH = 30.44
_UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12}
#: Time units as visitors misspell them ("3 monhts", "a quater") are read as
#: the nearest of these when at least this similar (rapidfuzz ratio, 0-100).
_UNITS = tuple(
    f"{unit}{plural}"
    for unit in ("day", "week", "month", "quarter", "year")
    for plural in ("", "s")
)
_UNIT_SIMILARITY = 80
_WORD = re.compile(r"[a-z]{4,}")
_DEADLINE = re.compile(r"\b(by|before|until|till|end of|latest|no later than)\b")

_DURATION = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)(?:\s*(?:-|–|to|or)\s*(\d+(?:\.\d+)?))?\s*"
    r"(day|week|month|quarter|year|yr|mo)s?\b"
)
_QUARTER = re.compile(r"\bq([1-4])(?:\s*(?:of\s*)?'?(\d{4}|\d{2}))?\b")
_HALF = re.compile(r"\bh([12])(?:\s*'?(\d{4}|\d{2}))?\b")
_YEAR = re.compile(r"\b(early|mid|late|end of|beginning of)?\s*(20\d\d)\b")
_RELATIVE = re.compile(
    r"\b(this|next|end of (?:the |this )?|end of next)\s*(week|month|quarter|year)\b"
)


@dataclass(frozen=True)
class Timeline:
    """When a visitor plans to buy; ``months`` is None when they don't know.

    ``researching`` marks visitors who said they are only looking around.
    """

    months: int | None
    text: str
    researching: bool = False


@dataclass(frozen=True)
class _Matchers:
    now: Phrases
    researching: Phrases
    unknown: Phrases


@functools.cache
def _matchers(lookups: Lookups) -> _Matchers:
    return _Matchers(
        now=Phrases({"now": lookups.terms("timeline_now")}),
        researching=Phrases({"researching": lookups.terms("timeline_researching")}),
        unknown=Phrases({"unknown": lookups.terms("timeline_unknown")}),
    )


def parse_timeline(text: str, today: date, lookups: Lookups | None = None) -> Timeline:
    """Turn a timeline answer into months from ``today`` (0 means now).

    A concrete time wins over hedging ("no rush, maybe in 6 months" is 6);
    only without one do the ``timeline_researching``, ``timeline_unknown``
    and ``timeline_now`` tables decide, in that order ("not right now, just
    researching" is researching).

    Raises:
        InvalidInput: the answer names no time and matches no table.
    """
    matchers = _matchers(lookups or default_lookups())
    said = clean(text)
    digits = words_to_digits(_spelled_units(said))
    target = _explicit_months(digits, today)
    if target is not None:
        return Timeline(max(target, 0), said)
    if matchers.researching.find(said):
        return Timeline(None, said, researching=True)
    if matchers.unknown.find(said):
        return Timeline(None, said)
    if matchers.now.find(said):
        return Timeline(0, said)
    found = _dated(said, today)
    if found is None:
        raise InvalidInput(_NOT_UNDERSTOOD)
    return Timeline(months_until(today, found), said)


def _spelled_units(text: str) -> str:
    """The text with misspelled time units put right ("in 3 monhts")."""
    return _WORD.sub(_unit_or_word, text)


def _unit_or_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in _UNITS:
        return word
    best = process.extractOne(
        word, _UNITS, scorer=fuzz.ratio, score_cutoff=_UNIT_SIMILARITY
    )
    return str(best[0]) if best and best[0][0] == word[0] else word


def months_until(today: date, target: date) -> int:
    """Whole calendar months from ``today`` to ``target``, rounded up, ≥ 0."""
    months = (target.year - today.year) * 12 + target.month - today.month
    if target.day > today.day:
        months += 1
    return max(months, 0)


def _explicit_months(text: str, today: date) -> int | None:
    deadline = bool(_DEADLINE.search(text))
    if match := _DURATION.search(text):
        low = float(match.group(1))
        high = float(match.group(2)) if match.group(2) else low
        unit = match.group(3)
        amount = (low + high) / 2
        if unit in ("day", "week"):
            days = amount * (7 if unit == "week" else 1)
            return math.floor(days / _DAYS_PER_MONTH + 0.5)
        per_unit = _UNIT_MONTHS.get(unit, 12 if unit == "yr" else 1)
        return math.ceil(amount * per_unit)
    if match := _QUARTER.search(text):
        year = _year(match.group(2), today)
        start = date(year or today.year, 3 * int(match.group(1)) - 2, 1)
        return _named_period(start, 3, today, deadline, year_given=year is not None)
    if match := _HALF.search(text):
        year = _year(match.group(2), today)
        start = date(year or today.year, 1 if match.group(1) == "1" else 7, 1)
        return _named_period(start, 6, today, deadline, year_given=year is not None)
    if match := _RELATIVE.search(text):
        return _relative(match.group(1).strip(), match.group(2), today)
    if match := _YEAR.search(text):
        year = int(match.group(2))
        offset = {"mid": 5, "late": 9}.get(match.group(1) or "", 0)
        target = date(year, 1 + offset, 1)
        if match.group(1) == "end of" or (deadline and not match.group(1)):
            target = date(year, 12, 31)
        return months_until(today, target)
    return None


def _named_period(
    start: date, length: int, today: date, deadline: bool, *, year_given: bool
) -> int:
    """Months to a quarter or half: its first day, or its last for "by ...".

    Without a year, a period already over this year means next year's.
    """
    end = _add_months(start, length) - timedelta(days=1)
    if not year_given and end < today:
        start, end = _add_months(start, 12), _add_months(end, 12)
    return months_until(today, end if deadline else start)


def _relative(which: str, unit: str, today: date) -> int:
    """Next quarter → its first day; this (or end of) quarter → its last day."""
    if unit == "week":
        return 0
    length = 3 if unit == "quarter" else 12 if unit == "year" else 1
    next_start = _add_months(_period_start(today, unit), length)
    if which == "next":
        return months_until(today, next_start)
    if which.startswith("end of next"):
        return months_until(today, _add_months(next_start, length) - timedelta(1))
    return months_until(today, next_start - timedelta(days=1))


def _period_start(today: date, unit: str) -> date:
    if unit == "year":
        return date(today.year, 1, 1)
    if unit == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return date(today.year, today.month, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, day.day)


def _year(written: str | None, today: date) -> int | None:
    if not written:
        return None
    year = int(written)
    return year + (today.year // 100) * 100 if year < 100 else year


def _dated(said: str, today: date) -> date | None:
    deadline = bool(_DEADLINE.search(said.lower()))
    settings = {
        "RELATIVE_BASE": datetime.combine(today, time()),
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "last" if deadline else "first",
    }
    from dateparser.search import search_dates

    found = search_dates(said, languages=["en"], settings=settings)
    if not found:
        return None
    first: datetime = found[0][1]
    return first.date()
