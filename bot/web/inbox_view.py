"""What the sales inbox shows, built from a handoff's payload.

The payload is the snapshot the webhook carried; a lead who answered little
leaves keys missing or null, so every accessor here tolerates absence and falls
back to the lead row, and the templates only ever see plain, typed values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.handoff.summary import format_points
from bot.store.models import Handoff, Lead

KIND_LABELS = {
    "lead.qualified": "Qualified",
    "lead.human_requested": "Asked for a human",
}


@dataclass(frozen=True)
class Score:
    """The score card's headline numbers at handoff time."""

    total: int | None
    fit: float | None
    engagement: float | None
    grade: str | None
    level: int | None
    stage: str | None
    version: str | None


@dataclass(frozen=True)
class Reason:
    """One line of the score card: ``+18 · VP of Marketing: senior buyer``."""

    points: str
    text: str
    source: str | None
    negative: bool

    @property
    def line(self) -> str:
        return f"{self.points} · {self.text}"


@dataclass(frozen=True)
class Fact:
    """A labelled value; ``href`` makes it a link (email addresses)."""

    label: str
    value: str
    href: str | None = None


@dataclass(frozen=True)
class Utterance:
    """One transcript line."""

    speaker: str
    text: str
    at: str | None


@dataclass(frozen=True)
class HandoffRow:
    """One line of the inbox list."""

    id: str
    who: str
    headline: str
    kind: str
    kind_label: str
    status: str
    created_at: datetime
    age: str
    score: Score

    @property
    def subline(self) -> str | None:
        """The headline without the name the page already shows above it."""
        if not self.headline or self.headline == self.who:
            return None
        return self.headline.removeprefix(f"{self.who}, ") or None


@dataclass(frozen=True)
class HandoffDetail:
    """Everything the summary page shows."""

    row: HandoffRow
    email: str | None
    why_now: str | None
    next_step: str | None
    lead: list[Fact] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    engagement_text: str | None = None
    engagement: list[Fact] = field(default_factory=list)
    top_pages: list[tuple[str, int]] = field(default_factory=list)
    transcript: list[Utterance] = field(default_factory=list)


def _section(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = payload.get(key)
    return value if isinstance(value, Mapping) else {}


def _list(payload: Mapping[str, Any], key: str) -> list[Any]:
    value = payload.get(key)
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _lead_value(answers: Mapping[str, Any], lead: Lead | None, key: str) -> Any:
    value = answers.get(key)
    if value is None and lead is not None:
        value = getattr(lead, key, None)
    return value


def format_age(then: datetime, now: datetime) -> str:
    """How long ago, the way a rep reads it: ``12 min ago``, ``3 d ago``."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    if seconds < 30 * 86400:
        return f"{seconds // 86400} d ago"
    return f"{then.day} {then:%b %Y}"


def format_when(value: Any) -> str | None:
    """An ISO 8601 timestamp as ``4 Dec 2026, 20:31 UTC`` (raw text if unparsable)."""
    text = _text(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def _score(payload: Mapping[str, Any], lead: Lead | None) -> Score:
    card = _section(payload, "score")
    if not card and lead is not None:
        return Score(
            lead.score_total,
            lead.score_fit,
            lead.score_engagement,
            lead.grade,
            lead.level,
            lead.stage,
            lead.score_version,
        )
    total = _number(card.get("total"))
    level = _number(card.get("level"))
    return Score(
        total=round(total) if total is not None else None,
        fit=_number(card.get("fit")),
        engagement=_number(card.get("engagement")),
        grade=_text(card.get("grade")),
        level=round(level) if level is not None else None,
        stage=_text(card.get("stage")),
        version=_text(card.get("version")),
    )


def _who(answers: Mapping[str, Any], lead: Lead | None, visitor_id: str) -> str:
    for key in ("name", "email"):
        value = _text(_lead_value(answers, lead, key))
        if value:
            return value
    return f"Anonymous visitor {visitor_id}"


def handoff_row(handoff: Handoff, now: datetime | None = None) -> HandoffRow:
    """The list line for one handoff (call inside the session: reads the lead)."""
    payload = handoff.payload or {}
    answers = _section(payload, "lead")
    lead = handoff.lead
    who = _who(answers, lead, handoff.visitor_id)
    headline = _text(_section(payload, "summary").get("headline"))
    if headline is None:
        title = _text(_lead_value(answers, lead, "job_title"))
        company = _text(_lead_value(answers, lead, "company"))
        headline = ", ".join(part for part in (who, title, company) if part)
    kind = _text(payload.get("type")) or handoff.type
    return HandoffRow(
        id=handoff.id,
        who=who,
        headline=headline,
        kind=kind,
        kind_label=KIND_LABELS.get(kind, kind),
        status=handoff.status,
        created_at=handoff.created_at,
        age=format_age(handoff.created_at, now or datetime.now(UTC)),
        score=_score(payload, lead),
    )


def _lead_facts(answers: Mapping[str, Any], lead: Lead | None) -> list[Fact]:
    def get(key: str) -> Any:
        return _lead_value(answers, lead, key)

    facts: list[Fact] = []

    def add(label: str, value: str | None, href: str | None = None) -> None:
        if value:
            facts.append(Fact(label, value, href))

    email = _text(get("email"))
    add("Name", _text(get("name")))
    add("Email", email, f"mailto:{email}" if email else None)
    add("Job title", _text(get("job_title")))
    add("Company", _text(get("company")))
    size = _number(get("company_size"))
    add("Company size", f"{size:,.0f} people" if size is not None else None)
    add("Industry", _text(get("industry")))
    add("Country", _text(get("country")))
    add("Need", _text(get("use_case")))
    timeline = _text(get("timeline"))
    months = _number(get("timeline_months"))
    if timeline and months is not None:
        timeline = f"{timeline} ({_months_away(months)})"
    add("Timeline", timeline)
    budget = _text(get("budget"))
    amount = _number(get("budget_amount"))
    currency = _text(get("budget_currency"))
    if budget and amount is not None and currency:
        base = _number(get("budget_base"))
        base_currency = _text(get("budget_base_currency"))
        scored = ""
        if base is not None and base_currency and base_currency != currency:
            scored = f" ≈ {base:,.0f} {base_currency}"
        budget = f"{budget} ({amount:,.0f} {currency}{scored})"
    add("Budget", budget)
    for key, label in (("decision_maker", "Decision maker"), ("consent", "Consent")):
        value = get(key)
        if isinstance(value, bool):
            add(label, "Yes" if value else "No")
    add("Seniority", _text(get("seniority")))
    add("Department", _text(get("department")))
    return facts


def _reasons(payload: Mapping[str, Any], lead: Lead | None) -> list[Reason]:
    raw = _list(payload, "reasons")
    if not raw and lead is not None:
        raw = lead.score_reasons or []
    reasons = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        points = _number(item.get("points")) or 0.0
        text = _text(item.get("reason")) or _text(item.get("rule")) or "(no reason)"
        source = _text(item.get("source"))
        reasons.append(Reason(format_points(points), text, source, points < 0))
    return reasons


def _engagement_facts(engagement: Mapping[str, Any]) -> list[Fact]:
    facts: list[Fact] = []
    for key, label in (
        ("visits", "Visits"),
        ("page_views", "Page views"),
        ("chat_messages", "Chat messages"),
        ("social_follows", "Social follows"),
    ):
        value = _number(engagement.get(key))
        if value is not None:
            facts.append(Fact(label, f"{value:,.0f}"))
    for key, label in (("downloads", "Downloads"), ("webinars", "Webinars")):
        items = [t for t in (_text(v) for v in _list(engagement, key)) if t]
        if items:
            facts.append(Fact(label, ", ".join(items)))
    newsletter = engagement.get("newsletter")
    if isinstance(newsletter, bool):
        status = "Subscribed" if newsletter else "Not subscribed"
        facts.append(Fact("Newsletter", status))
    for key, label in (("first_seen", "First seen"), ("last_seen", "Last seen")):
        when = format_when(engagement.get(key))
        if when:
            facts.append(Fact(label, when))
    return facts


def _top_pages(engagement: Mapping[str, Any]) -> list[tuple[str, int]]:
    pages = []
    for item in _list(engagement, "top_pages"):
        if isinstance(item, Mapping):
            path = _text(item.get("path"))
            views = _number(item.get("views"))
            if path:
                pages.append((path, round(views or 0)))
    return pages


def _transcript(payload: Mapping[str, Any]) -> list[Utterance]:
    lines = []
    for item in _list(payload, "transcript"):
        if isinstance(item, Mapping):
            text = _text(item.get("text"))
            if text:
                speaker = _text(item.get("speaker")) or "bot"
                lines.append(Utterance(speaker, text, format_when(item.get("at"))))
    return lines


def handoff_detail(handoff: Handoff, now: datetime | None = None) -> HandoffDetail:
    """The summary page for one handoff (call inside the session)."""
    payload = handoff.payload or {}
    answers = _section(payload, "lead")
    summary = _section(payload, "summary")
    engagement = _section(payload, "engagement")
    return HandoffDetail(
        row=handoff_row(handoff, now),
        email=_text(_lead_value(answers, handoff.lead, "email")),
        why_now=_text(summary.get("why_now")),
        next_step=_text(summary.get("next_step")),
        lead=_lead_facts(answers, handoff.lead),
        reasons=_reasons(payload, handoff.lead),
        engagement_text=_text(engagement.get("text")),
        engagement=_engagement_facts(engagement),
        top_pages=_top_pages(engagement),
        transcript=_transcript(payload),
    )


def _months_away(months: float) -> str:
    """'now', 'about 1 month', 'about 6 months'."""
    if months < 1:
        return "now"
    return f"about {months:.0f} month{'' if round(months) == 1 else 's'}"
