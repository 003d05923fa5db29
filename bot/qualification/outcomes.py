"""What follows from a lead's answers: signals, suggestions and ways out.

Small pure rules over a stored lead, kept apart from the service so each can
be read (and tested) on its own.
"""

from __future__ import annotations

from typing import Any, Literal

from bot.answers import email_domain_company, is_competitor
from bot.store.models import Lead

Outcome = Literal[
    "handoff", "nurture", "no_consent", "student", "job_seeker", "competitor", "support"
]


def derived_signals(lead: Lead) -> set[str]:
    """Signals that follow from the answers: urgency, a competitor's address."""
    signals: set[str] = set()
    if lead.timeline_months == 0:
        signals.add("urgent")
    domain = lead.email.rpartition("@")[2] if lead.email else None
    if is_competitor(domain, lead.company):
        signals.add("is_competitor")
    return signals


def company_from_email(lead: Lead, fields: dict[str, Any]) -> dict[str, str]:
    """A business email's domain suggests the company, if none is known yet.

    The bot says it ("Acme Robotics, right?") rather than asking; a visitor
    who works elsewhere corrects it like any other answer. A company that
    was only guessed from an earlier address is guessed again from a
    corrected one ("sorry my email is pat@rightco.com" after
    pat@wrongdomain.com is Rightco, not Wrongdomain).
    """
    if fields.get("company") or not fields.get("email"):
        return {}
    guessed_before = lead.email and lead.company == email_domain_company(lead.email)
    if lead.company and not guessed_before:
        return {}
    company = email_domain_company(str(fields["email"]))
    if company is None or company == lead.company:
        return {}
    return {"company": company}


def disqualified_outcome(lead: Lead) -> Outcome | None:
    """Why a lead leaves the funnel, if it does: none of these reach sales."""
    if "is_competitor" in lead.signals:
        return "competitor"
    if lead.seniority == "student":
        return "student"
    if "job_seeker" in lead.signals:
        return "job_seeker"
    return None
