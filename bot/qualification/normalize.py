"""From one answer in the visitor's words to the lead's normalized fields.

Each form slot maps to a function that returns every field the answer sets:
a job title also sets ``seniority`` and ``department``, a budget sets
``budget_amount`` and ``budget_currency``, and so on. The parsing itself lives
in :mod:`bot.answers`; this module only decides which fields an answer feeds.
(Scoring converts the budget to its base currency: ``bot.qualification.scorer``.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import answers
from bot.errors import InvalidInput
from scoring.rules import DEFAULT_CURRENCY

Fields = dict[str, Any]
MAX_TEXT = 500


@dataclass(frozen=True)
class Context:
    """What an answer is read against besides its words."""

    today: date
    #: The scoring base currency: a budget stated without one is in it.
    currency: str = DEFAULT_CURRENCY


Normalizer = Callable[[str, Context], Fields]


def _use_case(value: str, _context: Context) -> Fields:
    # The first answer often says who is asking: "are you hiring? i'm
    # looking for a new job" is a job seeker, not a need.
    return {
        "use_case": value[:MAX_TEXT],
        "job_seeker": answers.mentions_job_search(value),
    }


def _name(value: str, _context: Context) -> Fields:
    return {"name": answers.clean_name(value)}


def _company(value: str, _context: Context) -> Fields:
    return {"company": answers.clean_company(value)}


def _job_title(value: str, _context: Context) -> Fields:
    title = answers.parse_job_title(value)
    return {
        "job_title": title.title,
        "seniority": title.seniority,
        "department": title.department,
        "job_seeker": title.job_seeker,
    }


def _email(value: str, _context: Context) -> Fields:
    email = answers.parse_email(value)
    return {"email": email.address, "email_domain_kind": email.kind}


def _company_size(value: str, _context: Context) -> Fields:
    return {"company_size": answers.parse_company_size(value)}


def _industry(value: str, _context: Context) -> Fields:
    return {"industry": answers.parse_industry(value).key}


def _country(value: str, _context: Context) -> Fields:
    return {"country": answers.parse_country(value).code}


def _timeline(value: str, context: Context) -> Fields:
    timeline = answers.parse_timeline(value, context.today)
    return {"timeline": value[:MAX_TEXT], "timeline_months": timeline.months}


def _budget(value: str, context: Context) -> Fields:
    budget = answers.parse_budget(value, default_currency=context.currency)
    amount = float(budget.amount) if budget.amount is not None else None
    return {
        "budget": value[:MAX_TEXT],
        "budget_amount": amount,
        "budget_currency": budget.currency,
    }


def _yes_no(slot: str) -> Normalizer:
    def normalize(value: str, _context: Context) -> Fields:
        return {slot: answers.parse_yes_no(value)}

    return normalize


NORMALIZERS: dict[str, Normalizer] = {
    "name": _name,
    "email": _email,
    "company": _company,
    "job_title": _job_title,
    "company_size": _company_size,
    "industry": _industry,
    "country": _country,
    "use_case": _use_case,
    "timeline": _timeline,
    "budget": _budget,
    "decision_maker": _yes_no("decision_maker"),
    "consent": _yes_no("consent"),
}


#: Questions any text answers: their answers are kept as typed.
FREE_TEXT = frozenset({"name", "company", "industry", "use_case"})
#: Questions whose answers are parsed: a message that parses as one of them
#: is an answer, whatever else it may look like.
PARSED = frozenset(NORMALIZERS) - FREE_TEXT


def parses_as(slot: str, text: str, today: date) -> bool:
    """Whether `text` reads as an answer to the parsed question `slot`.

    "in 3 monhts" does for the timeline; "explain quantum physics" does not.
    Free-text questions (name, company, industry, use case) take any text, so
    nothing parses "as" them. Any few words make a job title (seniority and
    department "other"), so only a title with a known level reads as one
    ("marketing lead", "cmo", "student"): "can you send it to me?" (IT?) or
    "hola, ¿hablas español?" at "What's your role?" is an aside to answer.
    """
    if slot not in PARSED:
        return False
    try:
        fields = normalize(slot, text, today)
    except InvalidInput:
        return False
    if slot == "job_title":
        return bool(fields.get("job_seeker")) or fields.get("seniority") not in (
            None,
            "other",
        )
    return True


def normalize(
    slot: str, value: Any, today: date, currency: str = DEFAULT_CURRENCY
) -> Fields:
    """Every field one answer sets; :class:`InvalidInput` if it can't be read.

    A value that is already normalized (a boolean from a button, a number
    from an earlier turn) is taken as it is. `currency` is the scoring base
    currency, which a budget without a currency of its own is taken to be in.
    """
    if slot not in NORMALIZERS:
        raise InvalidInput(f"{slot!r} is not a question of the qualification form")
    if isinstance(value, bool | int | float) and not isinstance(value, str):
        return {slot: value}
    text = str(value).strip()
    if not text:
        raise InvalidInput("I didn't catch that. Could you say it again?")
    return NORMALIZERS[slot](text, Context(today, currency))
