"""Budgets: "$20k", "20.000 € a year", "around 5k a month", "no budget yet"."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import pycountry

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.numbers import first_amount_or_range, midpoint, words_to_digits
from bot.answers.phrases import Phrases, clean
from bot.errors import InvalidInput

BudgetStatus = Literal["amount", "none", "depends"]
BudgetPeriod = Literal["year", "month"]

DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD"})

_NOT_UNDERSTOOD = (
    "Sorry, I didn't get the budget — roughly how much could you spend, "
    'e.g. "$20k a year" or "2,000 € a month"? "Not sure yet" is fine too.'
)


@dataclass(frozen=True)
class Budget:
    """A budget answer; ``amount`` is always per year when a period was given.

    ``period`` is what the visitor said ("month" for "5k a month"); a
    quarterly figure is multiplied by four and reported as ``year``. An
    amount without a period is kept as said and taken as the yearly figure.
    """

    status: BudgetStatus
    amount: Decimal | None
    currency: str | None
    period: BudgetPeriod | None
    text: str


@dataclass(frozen=True)
class _Matchers:
    currencies: tuple[tuple[re.Pattern[str], str], ...]
    generic_dollar: re.Pattern[str] | None
    periods: Phrases
    none: Phrases
    depends: Phrases


@functools.cache
def _matchers(lookups: Lookups) -> _Matchers:
    currencies = tuple(
        (_term_pattern(terms), code.upper())
        for code, terms in lookups.family("currency_").items()
        if terms
    )
    dollar_terms = lookups.terms("generic_dollar_terms")
    return _Matchers(
        currencies=currencies,
        generic_dollar=_term_pattern(dollar_terms) if dollar_terms else None,
        periods=Phrases(
            {
                "month": lookups.terms("budget_per_month"),
                "quarter": lookups.terms("budget_per_quarter"),
                "year": lookups.terms("budget_per_year"),
            }
        ),
        none=Phrases({"none": lookups.terms("budget_none")}),
        # "idk", "no clue": a budget not known yet, as "not sure" is.
        depends=Phrases(
            {
                "depends": lookups.terms("budget_depends")
                + lookups.terms("answer_unknown")
            }
        ),
    )


def parse_budget(
    text: str, default_currency: str = "USD", lookups: Lookups | None = None
) -> Budget:
    """Read a budget from a free answer, annualized, in an ISO 4217 currency.

    A range ("10-20k") counts as its midpoint. A dollar sign or "dollars"
    without a country means ``default_currency`` when that is a dollar
    currency, else USD. Without any currency, ``default_currency`` applies.

    Raises:
        InvalidInput: neither an amount nor a known no-budget/depends answer.
    """
    matchers = _matchers(lookups or default_lookups())
    said = clean(text)
    answer = _after_contrast(said)
    digits = words_to_digits(answer)
    found = first_amount_or_range(digits)
    if found is None or (found[1] is None and found[0].value == 0):
        if matchers.depends.find(said):
            return Budget("depends", None, None, None, said)
        if found is not None or matchers.none.find(said):
            return Budget("none", None, None, None, said)
        raise InvalidInput(_NOT_UNDERSTOOD)
    low, high = found
    amount = low.value if high is None else midpoint(low.value, high.value)
    # Periods are read from the answer as typed: "a month" is not a number.
    periods = matchers.periods.find(answer)
    period: BudgetPeriod | None = None
    if periods:
        label = periods[0].label
        if label == "month":
            amount, period = amount * 12, "month"
        elif label == "quarter":
            amount, period = amount * 4, "year"
        else:
            period = "year"
    return Budget(
        status="amount",
        amount=Decimal(int(amount)) if amount == amount.to_integral() else amount,
        currency=_currency(words_to_digits(said), default_currency.upper(), matchers),
        period=period,
        text=said,
    )


#: "..., but ...": what follows is the answer ("we spend 200k/yr on ads but
#: for this maybe 10k" is 10k).
_CONTRAST = re.compile(r"\b(?:but|though|however)\b", re.IGNORECASE)


def _after_contrast(said: str) -> str:
    """The part after the last "but" when it names an amount, else all of it."""
    parts = _CONTRAST.split(said)
    if len(parts) > 1 and first_amount_or_range(words_to_digits(parts[-1])):
        return parts[-1].strip(" ,;.")
    return said


def _currency(text: str, default: str, matchers: _Matchers) -> str:
    hits = [
        (match.start(), -len(match.group()), code)
        for pattern, code in matchers.currencies
        for match in pattern.finditer(text)
    ]
    for match in re.finditer(r"(?<![a-z])[a-z]{3}(?![a-z])", text):
        currency = pycountry.currencies.get(alpha_3=match.group().upper())
        if currency is not None and match.group() not in _COMMON_WORDS:
            hits.append((match.start(), -3, currency.alpha_3))
    if hits:
        return min(hits)[2]
    if matchers.generic_dollar is not None and matchers.generic_dollar.search(text):
        return default if default in DOLLAR_CURRENCIES else "USD"
    return default


# Three-letter words that happen to be ISO 4217 codes.
_COMMON_WORDS = frozenset({"all", "top", "try", "mad", "cup", "bob", "lak", "mop"})


def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a table's terms; a term's letters may not touch others.

    A sign may: "50 k€" is euros, though the "€" follows the "k".
    """
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(
        "|".join(
            ("(?<![a-z])" if term[:1].isalpha() else "")
            + re.escape(term)
            + ("(?![a-z])" if term[-1:].isalpha() else "")
            for term in ordered
        )
    )
