"""Buying timelines: "asap", "this quarter", "in 3 months", "Q3", "by March".

Every answer becomes whole months from ``today`` until the visitor means to
start, rounded up (a date 1.5 months away is 2). "By <period>", "end of
<period>", "after <period>" and "this quarter/year" point at the period's
last day; "next <period>", "in <period>", "not before <period>" and a bare
period ("Q3", "summer") at its first day, except a whole year: "next year"
or "2026" alone is sometime in it (1 June), since "maybe next year" said in
December plans no purchase within a month; "not before next year" and "the
new year" are 1 January. Seasons are the northern
hemisphere's (summer is June to August); "the new year" is next year, and
so is "the next fiscal year" (``timeline_fiscal_year``: a company's own year
is taken as the calendar year); "early 2026" is 1 January, "mid" or
"sometime next year" 1 June, "late" 1 October.
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
from bot.answers.phrases import Found, Phrases, clean
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
# "Not before/until <period>" is its start, not a deadline.
_DEADLINE = re.compile(
    r"(?<!not )\b(by|before|until|till|end of|latest|no later than)\b"
)

_DURATION = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)(?:\s*(?:-|–|to|or)\s*(\d+(?:\.\d+)?))?\s*"
    r"(day|week|month|quarter|year|yr|mo)s?\b"
)
#: "may" as in "we may start", not the month: a word follows that is no
#: day, year or date part ("in may", "may 2027", "may 15th" stay months).
_MODAL_MAY = re.compile(
    r"(?<!\bin )(?<!\bby )(?<!\bof )(?<!\bearly )(?<!\bmid )(?<!\blate )"
    r"\bmay\b(?=\s+(?!\d)[a-z])",
    re.IGNORECASE,
)
#: What a date that names a month holds: a month's name or a numeric date.
_MONTH_OR_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\d{1,2}[/.-]\d{1,2}",
    re.IGNORECASE,
)
#: A month named with its year ("March 2027", "may 15, 2027").
_MONTH_AND_YEAR = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?:of\s+)?20\d\d\b"
)
#: A date in figures with its year ("15/03/2027", "3.15.27", "2027-03-15"):
#: dateparser reads it, not the year pattern.
_NUMERIC_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\b\d{4}-\d{1,2}-\d{1,2}\b"
)
#: A date written with dots, as in most of Europe: day, month, year.
_DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b")
#: "q4 next year", "h2 of next year": the period of next year, not this one.
_PERIOD_NEXT_YEAR = re.compile(r"\b([qh][1-4])\s+(?:of\s+)?next year\b")
#: Words that name the present but no hurry: with a ``timeline_present_state``
#: phrase ("right now we use spreadsheets") they say how things are today.
_PRESENT_WORDS = frozenset({"now", "right now", "today", "already"})
_QUARTER = re.compile(r"\bq([1-4])(?:\s*(?:of\s*)?'?(\d{4}|\d{2}))?\b")
_HALF = re.compile(r"\bh([12])(?:\s*'?(\d{4}|\d{2}))?\b")
#: How far into a year "early 2026" or "sometime next year" points, in months
#: after January; "end of" is the year's last day.
_PART_OF_YEAR = {
    "early": 0,
    "beginning of": 0,
    "start of": 0,
    "mid": 5,
    "middle of": 5,
    "sometime": 5,
    "some time": 5,
    "late": 9,
    "later": 9,
}
_PART = r"(early|beginning of|start of|mid|middle of|sometime|some time|later?|end of)"
_YEAR = re.compile(rf"\b(?:{_PART}[\s-]*(?:in\s+)?)?(20\d\d)\b")
_PART_OF_NEXT_YEAR = re.compile(rf"\b{_PART}\s+(?:in\s+)?next year\b")
_NEW_YEAR = re.compile(r"\b(?:the )?new year\b")
_NOT_BEFORE = re.compile(r"\bnot (?:before|until|till)\b")
#: Seasons by the month they start in (northern hemisphere, meteorological).
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON = re.compile(
    r"\b(next\s+)?(spring|summer|autumn|fall|winter)(?:\s*(?:of\s*)?'?(\d{4}))?\b"
)
_RELATIVE = re.compile(
    r"\b(this|next|end of (?:the |this )?|end of next)\s*(week|month|quarter|year)\b"
)
#: "After <period>" is when the period is over: read as "end of <period>".
#: Not "after the new year" (January) nor "after 6 months" (a duration).
_AFTER_PERIOD = re.compile(
    r"\bafter\s+(?:the\s+)?(?=(?:q[1-4]|h[12]|spring|summer|autumn|fall|winter"
    r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|20\d\d|(?:this|next)\s+(?:month|quarter|year))\b)",
    re.IGNORECASE,
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
    """``timeline_now`` beside ``timeline_present_state`` ("for now", "we use")."""
    researching: Phrases
    unknown: Phrases
    dont_know: Phrases
    """``answer_unknown``: "idk", after the urgent words ("idk, asap" is now)."""
    fiscal_year: Phrases
    """``timeline_fiscal_year``: "next fiscal year" is "next year"."""
    start: Phrases
    """``start_words``: a question that asks to get going."""


@functools.cache
def _matchers(lookups: Lookups) -> _Matchers:
    return _Matchers(
        now=Phrases(
            {
                "now": lookups.terms("timeline_now"),
                "present_state": lookups.terms("timeline_present_state"),
            }
        ),
        researching=Phrases({"researching": lookups.terms("timeline_researching")}),
        # "idk", "no clue": the ``answer_unknown`` phrases any question takes.
        unknown=Phrases({"unknown": lookups.terms("timeline_unknown")}),
        dont_know=Phrases({"dont_know": lookups.terms("answer_unknown")}),
        fiscal_year=Phrases({"year": lookups.terms("timeline_fiscal_year")}),
        start=Phrases({"start": lookups.terms("start_words")}),
    )


def parse_timeline(text: str, today: date, lookups: Lookups | None = None) -> Timeline:
    """Turn a timeline answer into months from ``today`` (0 means now).

    A concrete time wins over hedging ("no rush, maybe in 6 months" is 6,
    "once we close the round, in March" is March); only without one do the
    ``timeline_researching``, ``timeline_unknown`` and ``timeline_now`` tables
    decide, in that order ("not right now, just researching" is researching;
    "once we close our series b" is unknown).

    ``timeline_now`` also holds words that merely name the present ("now"),
    so an answer describing how things are today (``timeline_present_state``:
    "right now we use spreadsheets", "stop for now") is asked again rather
    than scored as buying now, which would send the lead to sales. So is a
    question that names the present only in passing ("how are you today?"):
    one about the timeline asks to get going ("can we start today?",
    ``start_words``) or holds nothing but the time ("now?").

    "After <period>" is the period's end ("after the summer" is 31 August),
    and a fiscal or financial year the calendar year.

    Raises:
        InvalidInput: the answer names no time and matches no table.
    """
    matchers = _matchers(lookups or default_lookups())
    said = clean(text)
    read = _AFTER_PERIOD.sub("end of ", _calendar_year(said, matchers.fiscal_year))
    digits = words_to_digits(_spelled_units(read))
    target = _explicit_months(digits, today)
    if target is not None:
        return Timeline(max(target, 0), said)
    found = _dated(read, today)
    if found is not None:
        return Timeline(months_until(today, found), said)
    if matchers.researching.find(said):
        return Timeline(None, said, researching=True)
    if matchers.unknown.find(said):
        return Timeline(None, said)
    found_now = matchers.now.find(said)
    urgent = [p for p in found_now if p.label == "now"]
    describes_today = any(p.label == "present_state" for p in found_now)
    only_present = all(p.text.lower() in _PRESENT_WORDS for p in urgent)
    if urgent and not (
        only_present
        and (describes_today or _asks_in_passing(said, urgent, matchers.start))
    ):
        # "we use hubspot now but want to switch asap" is urgent all the same.
        return Timeline(0, said)
    if matchers.dont_know.find(said):
        return Timeline(None, said)
    raise InvalidInput(_NOT_UNDERSTOOD)


def _asks_in_passing(said: str, present: list[Found], start: Phrases) -> bool:
    """A question with more in it than the time and no word of getting going.

    "how are you today?" asks after the bot; "can we start today?" and
    "now?" answer the timeline question.
    """
    if not said.rstrip(" !.)").endswith("?") or start.find(said):
        return False
    rest = list(said)
    for phrase in present:
        rest[phrase.start : phrase.end] = " " * (phrase.end - phrase.start)
    return any(char.isalnum() for char in "".join(rest))


def _calendar_year(said: str, fiscal_year: Phrases) -> str:
    """``said`` with a fiscal or financial year written as "year"."""
    for phrase in reversed(fiscal_year.find(said)):
        said = f"{said[: phrase.start]}year{said[phrase.end :]}"
    return said


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
    text = _NEW_YEAR.sub("early next year", text)
    text = _PERIOD_NEXT_YEAR.sub(lambda m: f"{m.group(1)} {today.year + 1}", text)
    deadline = bool(_DEADLINE.search(text))
    # A whole year said alone is sometime in it ("maybe next year" in
    # December is no purchase within a month); "not before" is its start,
    # "by" its end.
    whole_year = None if deadline or _NOT_BEFORE.search(text) else "sometime"
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
    if match := _SEASON.search(text):
        year = _year(match.group(3), today)
        return _season(match.group(2), year, bool(match.group(1)), today, deadline)
    if match := _PART_OF_NEXT_YEAR.search(text):
        return _in_year(today.year + 1, match.group(1), today, deadline)
    if match := _RELATIVE.search(text):
        which, unit = match.group(1).strip(), match.group(2)
        if which == "next" and unit == "year" and whole_year:
            return _in_year(today.year + 1, whole_year, today, deadline)
        return _relative(which, unit, today)
    if _MONTH_AND_YEAR.search(text) or _NUMERIC_DATE.search(text):
        return None  # "by March 2027", "15/03/2027" are dates: dateparser reads them
    if match := _YEAR.search(text):
        part = match.group(1) or whole_year
        return _in_year(int(match.group(2)), part, today, deadline)
    return None


def _in_year(year: int, part: str | None, today: date, deadline: bool) -> int:
    """Months to the start of ``year`` or of the ``part`` named ("mid")."""
    if part == "end of" or (deadline and not part):
        return months_until(today, date(year, 12, 31))
    return months_until(today, date(year, 1 + _PART_OF_YEAR.get(part or "", 0), 1))


def _season(
    name: str, year: int | None, upcoming: bool, today: date, deadline: bool
) -> int:
    """Months to a season's first day, or its last for "by summer".

    Without a year it is the season under way or the next one ("summer" in
    December is next June); "next spring" is one that has not begun yet.
    """
    start = date(year or today.year - 1, _SEASON_START[name], 1)
    end = _add_months(start, 3) - timedelta(days=1)
    while year is None and (end < today or (upcoming and start <= today)):
        start, end = _add_months(start, 12), _add_months(end, 12)
    return months_until(today, end if deadline else start)


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
    """The first date in ``said`` that names a month ("by March", "15/03/2027").

    Only dateparser's absolute-date parser runs, and only dates with a month
    count: its relative parser reads "now" in "stop for now" as today, and
    its weekday names include "we", so "we want to know ..." was Wednesday.
    Durations and "next quarter" are read before this, by the module's own
    patterns; "now" and "today" are the ``timeline_now`` table's.
    """
    if not _MONTH_OR_DATE.search(said):
        return None  # dateparser's search takes 0.1-0.6 s: not for "asap"
    deadline = bool(_DEADLINE.search(said.lower()))
    settings = {
        "RELATIVE_BASE": datetime.combine(today, time()),
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "last" if deadline else "first",
        "PARSERS": ["absolute-time"],
        "REQUIRE_PARTS": ["month"],
    }
    if _DOTTED_DATE.search(said):
        settings["DATE_ORDER"] = "DMY"  # "03.04.2027" is written day first
    from dateparser.search import search_dates

    found = search_dates(_MODAL_MAY.sub("", said), languages=["en"], settings=settings)
    if not found:
        return None
    first: datetime = found[0][1]
    return first.date()
