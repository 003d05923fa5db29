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
        ("next year", 13),  # sometime in 2026: 1 June
        ("in 2026", 13),
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
def test_next_year_is_the_months_to_its_middle_and_its_start(today: date) -> None:
    assert parse_timeline("next year", today).months == 18 - today.month
    assert parse_timeline("not before next year", today).months == 13 - today.month


#: The day the answers below were misread on the live bot.
DECEMBER_5 = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # "Not before" is summer's first day (1 June 2027), not a deadline.
        ("after we finish our crm migration, so not before summer", 6),
        ("by summer", 9),  # 31 August 2027, as "by March" is 31 March
        ("next spring", 3),  # 1 March 2027
        ("summer 2027", 6),
        ("next winter", 12),  # this winter began on 1 December
        ("in the new year", 1),  # 1 January 2027, as "next year"
        ("early next year", 1),  # 1 January 2027, as "early 2026" is
        ("sometime next year", 6),  # the middle of 2027: 1 June
        ("late next year", 10),  # 1 October 2027
        # The month named (1 January 2027); "we" is no longer Wednesday.
        ("we have a board meeting in january", 1),
        # A named month wins over hedging and conditions.
        ("no rush, maybe september", 9),
        ("once we close the round in march", 3),
        ("not until q3", 7),  # Q3's first day, 1 July 2027
        # "We needed it yesterday": urgent, as timeline_now says.
        ("yesterday lol", 0),
        ("we need it now", 0),
        # dateparser no longer reads these ("we" was Wednesday): timeline_now.
        ("tomorrow", 0),
        ("as soon as we can", 0),
    ],
)
def test_months_from_early_december(text: str, months: int) -> None:
    assert parse_timeline(text, DECEMBER_5) == Timeline(months, text)


def test_winter_under_way_is_now() -> None:
    assert parse_timeline("this winter", date(2027, 2, 10)).months == 0


def test_no_hurry_is_researching() -> None:
    text = "honestly we are not in a hurry"
    assert parse_timeline(text, DECEMBER_5) == Timeline(None, text, researching=True)


@pytest.mark.parametrize(
    "text", ["once we close our series b", "after we hire a new analyst"]
)
def test_a_time_that_waits_on_an_event_is_unknown(text: str) -> None:
    assert parse_timeline(text, DECEMBER_5) == Timeline(None, text)


@pytest.mark.parametrize(
    "text",
    [
        "sorry gotta run, stop for now",
        "we want to know which campaigns actually produce pipeline",
        "right now we use spreadsheets",
        "we already use hubspot",
    ],
)
def test_rejects_sentences_that_name_no_time_to_buy(text: str) -> None:
    with pytest.raises(InvalidInput, match="get started"):
        parse_timeline(text, DECEMBER_5)


@pytest.mark.parametrize("text", ["next monday", "by friday", "in a fortnight"])
def test_a_day_of_the_week_or_a_fortnight_is_now(text: str) -> None:
    assert parse_timeline(text, TODAY).months == 0


DEC_5 = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("we may need it asap", 0),  # "may" is no month here
        ("we may start right away", 0),
        ("in may", 5),
        ("by may 2027", 6),  # a month with its year is that month
        ("in march 2027", 3),
        ("q4 next year", 10),  # next year's quarter, not this one
        ("h2 next year", 7),
        ("we use hubspot now but want to switch asap", 0),
        ("currently using salesforce, need to replace asap", 0),
    ],
)
def test_modal_may_periods_of_next_year_and_urgency_beside_today(
    text: str, months: int
) -> None:
    assert parse_timeline(text, DEC_5).months == months


def test_may_as_a_verb_leaves_the_hedge_to_the_tables() -> None:
    assert parse_timeline("just researching, may buy later", DEC_5).researching
    assert parse_timeline("not sure, may depend on the budget", DEC_5).months is None


@pytest.mark.parametrize(
    "text",
    ["15/03/2027", "by 15/03/2027", "15.03.2027", "2027-03-15", "go live 15/3/27"],
)
def test_a_date_in_figures_is_that_date_not_its_year(text: str) -> None:
    # 15 March 2027 from 5 December 2026: 4 months (the year alone read as
    # 1 January, or 31 December after "by").
    assert parse_timeline(text, DEC_5).months == 4


@pytest.mark.parametrize(
    "text",
    ["next fiscal year", "next fy", "the next financial year", "Next FY"],
)
def test_a_fiscal_year_is_the_calendar_year(text: str) -> None:
    # Sometime in 2027 (1 June), as "next year" is.
    assert parse_timeline(text, DEC_5) == Timeline(6, text)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("after the summer", 9),  # summer is over on 31 August 2027
        ("after summer", 9),
        ("after q1", 4),  # 31 March 2027
        ("after march", 4),  # 31 March 2027, not its first day
        ("after the new year", 1),  # January, as "in the new year"
        ("after 6 months", 6),  # a duration, not a period
        ("not before summer", 6),  # the start of summer, as before
        ("after we finish our crm migration, so not before summer", 6),
    ],
)
def test_after_a_period_is_its_end(text: str, months: int) -> None:
    assert parse_timeline(text, DEC_5).months == months


@pytest.mark.parametrize(
    "text",
    ["how are you today?", "is now a good time?", "what are you up to today?"],
)
def test_a_question_naming_the_present_in_passing_is_no_timeline(
    text: str,
) -> None:
    with pytest.raises(InvalidInput, match="get started"):
        parse_timeline(text, DEC_5)


@pytest.mark.parametrize(
    "text",
    [
        "can we start today?",
        "could we get it set up now?",
        "now?",
        "asap?",
        "we need it today",
        "asap",
        "we need it today, how soon can you do it?",
    ],
)
def test_a_question_about_getting_going_now_is_urgent(text: str) -> None:
    assert parse_timeline(text, DEC_5).months == 0


@pytest.mark.parametrize("text", ["idk, right away", "no clue honestly, urgently"])
def test_urgency_beside_a_dont_know_is_now(text: str) -> None:
    assert parse_timeline(text, DEC_5).months == 0


def test_a_date_with_dots_is_day_first() -> None:
    # 3 April 2027, not 4 March: 4 months from 5 December 2026.
    assert parse_timeline("03.04.2027", DEC_5).months == 4


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("maybe next year", 6),  # not "buying within a month" in December
        ("in 2027", 6),
        ("not before next year", 1),
        ("in the new year", 1),
        ("early next year", 1),
        ("end of next year", 13),
    ],
)
def test_a_whole_year_alone_is_sometime_in_it(text: str, months: int) -> None:
    assert parse_timeline(text, DEC_5).months == months
