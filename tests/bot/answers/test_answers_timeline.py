"""Timelines as visitors type them, in months from today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import Timeline, parse_timeline
from bot.answers.timeline import months_until
from bot.errors import InvalidInput

TODAY = date(2025, 5, 14)  # mid Q2


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("asap", 0),
        ("ASAP!", 0),
        ("now", 0),
        ("right away", 0),
        ("this week", 0),
        ("next week", 0),
        ("in two weeks", 0),
        ("in 6 weeks", 1),
        ("this quarter", 2),  # 30 June is 1.5 months away: rounded up
        ("end of the quarter", 2),
        ("next quarter", 2),  # 1 July
        ("in 3 months", 3),
        ("in three months", 3),
        ("within 6 months", 6),
        ("3-6 months", 5),  # midpoint 4.5, rounded up
        ("a couple of months", 2),
        ("in a year", 12),
        ("next month", 1),
        ("next year", 8),  # 1 January 2026
        ("not before next year", 8),
        ("end of next year", 20),
        ("this year", 8),  # 31 December
        ("by the end of the year", 8),
        ("Q3", 2),  # starts 1 July
        ("q1", 8),  # Q1 is over: next year's, 1 January
        ("by q2", 2),  # ends 30 June
        ("by end of Q3", 5),
        ("Q1 2026", 8),
        ("H2", 2),
        ("early 2026", 8),
        ("end of 2026", 20),  # 31 December 2026
        ("by 2026", 20),
        ("H1 2026", 8),
        ("by h2", 8),  # 31 December
        ("by March", 11),  # 31 March 2026
        ("september", 4),  # 1 September
        ("no rush, maybe in 6 months", 6),
        ("in 3 monhts", 3),  # typos in the unit
        ("in 2 mnths", 2),
        ("within a quater", 3),
        ("in 6 weks", 1),
        ("in 2 yeras", 24),
    ],
)
def test_months_from_today(text: str, months: int) -> None:
    assert parse_timeline(text, TODAY) == Timeline(months, text)


@pytest.mark.parametrize(
    "text",
    ["just researching", "Just looking around", "browsing", "not right now"],
)
def test_researching(text: str) -> None:
    assert parse_timeline(text, TODAY) == Timeline(None, text, researching=True)


@pytest.mark.parametrize("text", ["not sure", "no idea", "TBD"])
def test_unknown(text: str) -> None:
    assert parse_timeline(text, TODAY) == Timeline(None, text, researching=False)


def test_this_quarter_on_its_last_day_is_now() -> None:
    assert parse_timeline("this quarter", date(2025, 6, 30)).months == 0


def test_a_past_quarter_named_with_its_year_is_now() -> None:
    assert parse_timeline("Q1 2025", TODAY).months == 0


@pytest.mark.parametrize("text", ["", "blorp", "purple"])
def test_rejects_answers_without_a_time(text: str) -> None:
    with pytest.raises(InvalidInput, match="get started"):
        parse_timeline(text, TODAY)


@settings(deadline=None)  # the first call builds the matchers
@given(st.integers(min_value=0, max_value=120))
def test_in_n_months_is_n(n: int) -> None:
    assert parse_timeline(f"in {n} months", TODAY).months == n


@settings(deadline=None)  # the first call builds the matchers
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=0, max_value=2000),
)
def test_months_until_rounds_up_and_never_goes_backwards(
    today: date, days: int
) -> None:
    later = today + timedelta(days=days)
    months = months_until(today, later)
    assert months >= 0
    assert months_until(today, later + timedelta(days=31)) >= months
    assert months * 31 >= days  # rounded up: never short of the real gap


@settings(deadline=None)  # the first call builds the matchers
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_next_year_is_the_months_to_january(today: date) -> None:
    assert parse_timeline("next year", today).months == 13 - today.month
