"""From one answer in the visitor's words to the lead's normalized fields.

Each form slot maps to a function that returns every field the answer sets:
a job title also sets ``seniority`` and ``department``, a budget sets
``budget_amount`` and ``budget_currency``, and so on. The parsing itself lives
in :mod:`bot.answers`; this module only decides which fields an answer feeds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot import answers
from bot.errors import InvalidInput

Fields = dict[str, Any]
MAX_TEXT = 500


def _text(slot: str) -> Callable[[str, date], Fields]:
    def normalize(value: str, _today: date) -> Fields:
        return {slot: value[:MAX_TEXT]}

    return normalize


def _name(value: str, _today: date) -> Fields:
    return {"name": answers.clean_name(value)}


def _company(value: str, _today: date) -> Fields:
    return {"company": answers.clean_company(value)}


def _job_title(value: str, _today: date) -> Fields:
    title = answers.parse_job_title(value)
    return {
        "job_title": title.title,
        "seniority": title.seniority,
        "department": title.department,
        "job_seeker": title.job_seeker,
    }


def _email(value: str, _today: date) -> Fields:
    email = answers.parse_email(value)
    return {"email": email.address, "email_domain_kind": email.kind}


def _company_size(value: str, _today: date) -> Fields:
    return {"company_size": answers.parse_company_size(value)}


def _industry(value: str, _today: date) -> Fields:
    return {"industry": answers.parse_industry(value).key}


def _country(value: str, _today: date) -> Fields:
    return {"country": answers.parse_country(value).code}


def _timeline(value: str, today: date) -> Fields:
    timeline = answers.parse_timeline(value, today)
    return {"timeline": value[:MAX_TEXT], "timeline_months": timeline.months}


def _budget(value: str, _today: date) -> Fields:
    budget = answers.parse_budget(value)
    amount = float(budget.amount) if budget.amount is not None else None
    return {
        "budget": value[:MAX_TEXT],
        "budget_amount": amount,
        "budget_currency": budget.currency,
    }


def _yes_no(slot: str) -> Callable[[str, date], Fields]:
    def normalize(value: str, _today: date) -> Fields:
        return {slot: answers.parse_yes_no(value)}

    return normalize


NORMALIZERS: dict[str, Callable[[str, date], Fields]] = {
    "name": _name,
    "email": _email,
    "company": _company,
    "job_title": _job_title,
    "company_size": _company_size,
    "industry": _industry,
    "country": _country,
    "use_case": _text("use_case"),
    "timeline": _timeline,
    "budget": _budget,
    "decision_maker": _yes_no("decision_maker"),
    "consent": _yes_no("consent"),
}


def normalize(slot: str, value: Any, today: date) -> Fields:
    """Every field one answer sets; :class:`InvalidInput` if it can't be read.

    A value that is already normalized (a boolean from a button, a number
    from an earlier turn) is taken as it is.
    """
    if slot not in NORMALIZERS:
        raise InvalidInput(f"{slot!r} is not a question of the qualification form")
    if isinstance(value, bool | int | float) and not isinstance(value, str):
        return {slot: value}
    text = str(value).strip()
    if not text:
        raise InvalidInput("I didn't catch that. Could you say it again?")
    return NORMALIZERS[slot](text, today)
