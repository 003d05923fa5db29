"""Budgets as visitors type them, annualized, with an ISO 4217 currency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import Budget, parse_budget
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "amount", "currency", "period"),
    [
        ("$20k", "20000", "USD", None),
        ("20.000 € a year", "20000", "EUR", "year"),
        ("around 5k a month", "60000", "USD", "month"),
        ("£1.5m", "1500000", "GBP", None),
        ("twenty thousand dollars", "20000", "USD", None),
        ("fifty grand", "50000", "USD", None),
        ("50k euros per year", "50000", "EUR", "year"),
        ("about 50 k€ a year", "50000", "EUR", "year"),  # a sign may touch a letter
        ("EUR 50000 annually", "50000", "EUR", "year"),
        ("CHF 100,000", "100000", "CHF", None),
        ("1,5 Mio EUR", "1500000", "EUR", None),
        ("we have 30k usd", "30000", "USD", None),
        ("5000 SEK monthly", "60000", "SEK", "month"),
        ("¥1,000,000", "1000000", "JPY", None),
        ("₹5,00,000", "500000", "INR", None),
        ("A$50k", "50000", "AUD", None),
        ("about 3000 a quarter", "12000", "USD", "year"),
        ("1,200 bucks per month", "14400", "USD", "month"),
        ("10-20k", "15000", "USD", None),
        ("between 10k and 20k a year", "15000", "USD", "year"),
        ("up to 100k", "100000", "USD", None),
        ("12.5k", "12500", "USD", None),
        ("2k/mo", "24000", "USD", "month"),
        ("500 pounds a month", "6000", "GBP", "month"),
    ],
)
def test_reads_amounts(
    text: str, amount: str, currency: str, period: str | None
) -> None:
    assert parse_budget(text) == Budget(
        "amount",
        Decimal(amount),
        currency,
        period,
        text,  # type: ignore[arg-type]
    )


def test_amount_without_currency_takes_the_default() -> None:
    assert parse_budget("20k", default_currency="EUR").currency == "EUR"
    assert parse_budget("20k").currency == "USD"


def test_a_bare_dollar_means_the_default_dollar_currency() -> None:
    assert parse_budget("$20k", default_currency="CAD").currency == "CAD"
    assert parse_budget("$20k", default_currency="EUR").currency == "USD"


def test_a_named_currency_beats_the_default() -> None:
    assert parse_budget("£20k", default_currency="EUR").currency == "GBP"


def test_words_that_look_like_codes_are_not_currencies() -> None:
    assert parse_budget("try 5k").currency == "USD"


@pytest.mark.parametrize(
    "text", ["no budget yet", "None", "nothing allocated", "$0", "0", "zero"]
)
def test_no_budget(text: str) -> None:
    result = parse_budget(text)
    assert (result.status, result.amount, result.currency) == ("none", None, None)
    assert result.text == text


@pytest.mark.parametrize(
    "text",
    ["depends on price", "It depends", "not sure", "tbd", "what does it cost?"],
)
def test_depends(text: str) -> None:
    result = parse_budget(text)
    assert (result.status, result.amount) == ("depends", None)


@pytest.mark.parametrize("text", ["", "asdf", "purple elephants"])
def test_rejects_answers_without_a_budget(text: str) -> None:
    with pytest.raises(InvalidInput, match="budget"):
        parse_budget(text)


@settings(deadline=None)  # the first call builds the matchers
@given(st.integers(min_value=1, max_value=10**9))
def test_dollar_amounts_read_back(n: int) -> None:
    result = parse_budget(f"${n:,}")
    assert (result.amount, result.currency) == (Decimal(n), "USD")


@settings(deadline=None)  # the first call builds the matchers
@given(st.integers(min_value=1, max_value=10**6))
def test_monthly_amounts_are_twelve_times_as_much_a_year(n: int) -> None:
    monthly = parse_budget(f"{n} € per month")
    assert monthly.amount == Decimal(n) * 12
    assert monthly.period == "month"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("20 lakh rupees a year", 2_000_000), ("1.5 crore INR", 15_000_000)],
)
def test_indian_number_words_scale_the_amount(text: str, amount: int) -> None:
    budget = parse_budget(text)
    assert budget.amount == amount
    assert budget.currency == "INR"


def test_no_budget_said_in_a_whole_sentence() -> None:
    assert parse_budget("We don't have budget for this yet").status == "none"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("CHF 30'000", "30000"), ("CHF 30’000", "30000"), ("1'250'000 CHF", "1250000")],
)
def test_swiss_thousands_separators(text: str, amount: str) -> None:
    budget = parse_budget(text)
    assert (budget.status, budget.amount, budget.currency) == (
        "amount",
        Decimal(amount),
        "CHF",
    )


@pytest.mark.parametrize(
    "text", ["whatever it costs honestly", "no limit", "money is no object"]
)
def test_a_budget_without_a_ceiling_has_no_amount_to_score(text: str) -> None:
    # Like "depends on price": a budget answer, not a refusal or "none".
    result = parse_budget(text)
    assert (result.status, result.amount, result.currency) == ("depends", None, None)


def test_the_amount_after_a_but_is_the_budget() -> None:
    budget = parse_budget("we spend €200k/yr on ads but for this maybe 10k")
    assert (budget.amount, budget.currency) == (10000, "EUR")
    assert parse_budget("10k but it depends").amount == 10000
