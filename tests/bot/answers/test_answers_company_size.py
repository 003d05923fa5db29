"""Company sizes as visitors type them, to a head-count."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import parse_company_size
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("about two hundred", 200),
        ("50-100", 75),
        ("50 - 100 people", 75),
        ("between 200 and 500", 350),
        ("10 to 15", 13),  # midpoint 12.5, rounded half up
        ("5k+", 5000),
        ("1.5k", 1500),
        ("over 500", 500),
        ("just me", 1),
        ("Only me, I'm a freelancer", 1),
        ("solo", 1),
        ("we're a team of 12", 12),
        ("We’re a team of twelve.", 12),
        ("1,200", 1200),
        ("1.200 Mitarbeiter", 1200),
        ("10 000", 10000),
        ("twelve", 12),
        ("Twenty-five", 25),
        ("two thousand five hundred", 2500),
        ("a dozen", 12),
        ("a few hundred", 300),
        ("roughly 40 people", 40),
        ("3 employees", 3),
        ("one", 1),
        ("~80", 80),
    ],
)
def test_reads_head_count(text: str, size: int) -> None:
    assert parse_company_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "big", "zero", "0", "no idea"])
def test_rejects_answers_without_a_positive_number(text: str) -> None:
    with pytest.raises(InvalidInput, match="how many people"):
        parse_company_size(text)


@settings(deadline=None)  # the first call builds the matchers
@given(st.integers(min_value=1, max_value=10_000_000))
def test_plain_numbers_read_back(n: int) -> None:
    assert parse_company_size(str(n)) == n


@settings(deadline=None)  # the first call builds the matchers
@given(st.integers(min_value=1, max_value=10_000_000))
def test_numbers_with_thousands_separators_read_back(n: int) -> None:
    assert parse_company_size(f"{n:,} people") == n


@settings(deadline=None)  # the first call builds the matchers
@given(
    st.integers(min_value=1, max_value=100_000),
    st.integers(min_value=1, max_value=100_000),
)
def test_a_range_reads_as_its_midpoint(low: int, high: int) -> None:
    expected = (low + high + 1) // 2  # half up
    assert parse_company_size(f"{low}-{high}") == expected
