"""Reading and writing leads, visitors and their events.

Functions take an open :class:`~sqlalchemy.orm.Session`; the caller owns the
unit of work (``with sessions.begin():``), so one answer, its re-score and a
handoff commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotFound
from bot.store.models import Event, Lead, Visitor, utcnow

#: The lead's fields a conversation or a website form may set.
LEAD_FIELDS: tuple[str, ...] = (
    "name",
    "email",
    "company",
    "job_title",
    "company_size",
    "industry",
    "country",
    "use_case",
    "timeline",
    "budget",
    "decision_maker",
    "consent",
    "seniority",
    "department",
    "timeline_months",
    "budget_amount",
    "budget_currency",
    "email_domain_kind",
)
#: Fields scoring derives from the others and keeps on the lead: the budget
#: in the base currency of the rules, and that currency's code.
DERIVED_FIELDS: tuple[str, ...] = ("budget_base", "budget_base_currency")

MAX_VISITOR_ID = 64


def check_visitor_id(visitor_id: str) -> str:
    """Reject ids that cannot be a visitor cookie (empty, huge, odd bytes)."""
    if not visitor_id or len(visitor_id) > MAX_VISITOR_ID:
        raise InvalidInput(f"visitor_id must be 1-{MAX_VISITOR_ID} characters long")
    if not visitor_id.isascii() or not visitor_id.isprintable():
        raise InvalidInput("visitor_id must be printable ASCII")
    return visitor_id


def visitor(
    session: Session, visitor_id: str, *, seen_at: datetime | None = None
) -> Visitor:
    """The visitor with this id, created (with a new lead) on first sight."""
    check_visitor_id(visitor_id)
    found = session.get(Visitor, visitor_id)
    now = seen_at or utcnow()
    if found is None:
        lead = Lead()
        found = Visitor(id=visitor_id, lead=lead, first_seen_at=now, last_seen_at=now)
        session.add_all([lead, found])
        session.flush()
    elif now > found.last_seen_at:
        found.last_seen_at = now
    return found


def lead_for_visitor(session: Session, visitor_id: str) -> Lead:
    """The lead behind a visitor id, created on first sight."""
    return visitor(session, visitor_id).lead


def find_lead(session: Session, visitor_id: str) -> Lead:
    """The lead behind an existing visitor id, or :class:`NotFound`."""
    found = session.get(Visitor, check_visitor_id(visitor_id))
    if found is None:
        raise NotFound(f"no visitor with id {visitor_id!r}")
    return found.lead


def update_fields(session: Session, lead: Lead, fields: Mapping[str, Any]) -> Lead:
    """Set the given lead fields; ``None`` values leave a field as it is.

    When the email is new and another lead already has it, the two are the
    same person: the visitors of this lead move to the older one, which keeps
    every earlier event and answer, and takes this lead's answers only where
    it has none (identity stitching; changing a known answer takes a
    correction).
    """
    unknown = set(fields) - set(LEAD_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown lead fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if value is not None:
            setattr(lead, name, value)
    email = fields.get("email")
    if email:
        lead = _stitch_by_email(session, lead, str(email))
    session.flush()
    return lead


def _stitch_by_email(session: Session, lead: Lead, email: str) -> Lead:
    other = session.scalars(
        select(Lead)
        .where(Lead.email == email, Lead.id != lead.id)
        .order_by(Lead.created_at)
        .limit(1)
    ).first()
    if other is None:
        return lead
    for name in LEAD_FIELDS:
        # Fill what the older lead lacks, change nothing it has: an address
        # typed in a chat is unchecked, and sales may hold that lead already.
        mine = getattr(lead, name)
        if mine is not None and getattr(other, name) is None:
            setattr(other, name, mine)
    other.signals = sorted(set(other.signals) | set(lead.signals))
    for moved in list(lead.visitors):
        moved.lead = other
    session.flush()
    return other


def add_signals(lead: Lead, signals: set[str]) -> None:
    """Remember conversation signals (asked for pricing, for a human, ...)."""
    if not signals <= set(lead.signals):
        lead.signals = sorted(set(lead.signals) | signals)


def events_of(session: Session, lead: Lead) -> list[Event]:
    """Every event of every visitor of this lead, oldest first."""
    visitor_ids = [v.id for v in lead.visitors]
    if not visitor_ids:
        return []
    return list(
        session.scalars(
            select(Event)
            .where(Event.visitor_id.in_(visitor_ids))
            .order_by(Event.occurred_at, Event.id)
        )
    )
