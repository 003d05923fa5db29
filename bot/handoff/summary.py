"""The handoff summary: who, why now, and what was said.

The same dictionary is stored on the handoff (the sales inbox renders it) and
sent as the webhook body, so every channel tells a rep the same story.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.store import leads
from bot.store.models import Lead

SENIORITY_WORDS = {"c_level": "executive", "vp": "VP", "director": "director"}
#: What the visitor asked for in the chat, as the summary says it.
ASKED = {"asked_demo": "for a demo", "asked_pricing": "about pricing"}


def lead_fields(lead: Lead) -> dict[str, Any]:
    """The lead's product fields and those scoring derives, JSON-ready."""
    names = (*leads.LEAD_FIELDS, *leads.DERIVED_FIELDS)
    return {name: getattr(lead, name) for name in names}


def score_fields(lead: Lead) -> dict[str, Any]:
    """The lead's latest score card, JSON-ready."""
    return {
        "total": lead.score_total,
        "fit": lead.score_fit,
        "engagement": lead.score_engagement,
        "grade": lead.grade,
        "level": lead.level,
        "stage": lead.stage,
        "version": lead.score_version,
    }


def build(
    *,
    handoff_id: str,
    handoff_type: str,
    created_at: datetime,
    visitor_id: str,
    lead: Lead,
    engagement: dict[str, Any],
    transcript: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """Assemble the payload of one handoff."""
    return {
        "type": handoff_type,
        "id": handoff_id,
        "created_at": created_at.isoformat(),
        "visitor_id": visitor_id,
        "lead_id": lead.id,
        "lead": lead_fields(lead),
        "score": score_fields(lead),
        "reasons": list(lead.score_reasons),
        "engagement": engagement,
        "summary": {
            "headline": headline(lead),
            "why_now": why_now(lead, handoff_type, engagement),
            "next_step": next_step(lead),
        },
        "transcript": list(transcript),
    }


def headline(lead: Lead) -> str:
    """'Dana Lee, VP of Marketing at Acme (500 people)'."""
    who = lead.name or lead.email or "An anonymous visitor"
    parts = [who]
    if lead.job_title:
        parts.append(f", {lead.job_title}")
    if lead.company:
        parts.append(f" at {lead.company}")
    if lead.company_size:
        parts.append(f" ({lead.company_size:,} people)")
    return "".join(parts)


def why_now(lead: Lead, handoff_type: str, engagement: dict[str, Any]) -> str:
    """One or two sentences on urgency: timeline, budget, behaviour."""
    reasons: list[str] = []
    if "customer_expansion" in (lead.signals or []):
        reasons.append("An existing customer who wants to buy more")
    elif handoff_type == "lead.human_requested":
        reasons.append("Asked to talk to a person during the chat")
    asked = [what for signal, what in ASKED.items() if signal in (lead.signals or [])]
    if asked:
        reasons.append("Asked " + " and ".join(asked))
    if lead.timeline_months is not None:
        months = lead.timeline_months
        when = "right away" if months == 0 else f"within {_plural(months, 'month')}"
        reasons.append(f"{'plans' if reasons else 'Plans'} to buy {when}")
    if lead.budget_amount:
        reasons.append(_budget(lead))
    elif lead.budget:
        reasons.append(f"budget: {lead.budget}")
    if lead.use_case:
        reasons.append(f"needs: {lead.use_case}")
    text = "; ".join(reasons)
    behaviour = str(engagement.get("text") or "")
    return f"{text}. {behaviour}".strip() if text else behaviour


def _budget(lead: Lead) -> str:
    """'budget about 40,000 EUR a year (≈ 44,688 USD)': as said, and as scored."""
    currency = f" {lead.budget_currency}" if lead.budget_currency else ""
    text = f"budget about {lead.budget_amount:,.0f}{currency} a year"
    base, base_currency = lead.budget_base, lead.budget_base_currency
    if base is not None and base_currency and base_currency != lead.budget_currency:
        text += f" (≈ {base:,.0f} {base_currency})"
    return text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def next_step(lead: Lead) -> str:
    """What the rep should do first."""
    if lead.email:
        return f"Email {lead.email} today."
    return (
        "No email yet: the visitor was asked to leave one in the chat, and an "
        "update follows if they do; the transcript may say who they are."
    )


def format_points(points: float) -> str:
    """``18.0`` → ``+18``, ``2.5`` → ``+2.5``, ``-5`` → ``−5``."""
    magnitude = abs(points)
    digits = f"{magnitude:.0f}" if magnitude == round(magnitude) else f"{magnitude:.1f}"
    if magnitude == 0:
        return "0"
    return f"+{digits}" if points > 0 else f"−{digits}"


def reason_lines(payload: dict[str, Any]) -> list[str]:
    """The score's reasons as a rep reads them: ``+18 · VP of Marketing: ...``."""
    lines = []
    for item in payload.get("reasons") or []:
        if not isinstance(item, dict):
            continue
        points = item.get("points")
        number = float(points) if isinstance(points, int | float) else 0.0
        text = item.get("reason") or item.get("rule") or "(no reason)"
        lines.append(f"{format_points(number)} · {text}")
    return lines
