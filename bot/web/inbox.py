"""The sales inbox's queries: list handoffs, open one, record what sales did.

Route handlers stay thin and call these inside one unit of work; the functions
never commit, so the caller decides the transaction (``with sessions.begin()``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.errors import InvalidInput, NotFound
from bot.store.models import Handoff

#: Statuses a sales rep may set; a new handoff starts as ``new``.
REP_STATUSES: tuple[str, ...] = ("accepted", "rejected", "won", "lost")
ALL_STATUSES: tuple[str, ...] = ("new", *REP_STATUSES)


def list_handoffs(
    session: Session, limit: int = 100, status: str | None = None
) -> list[Handoff]:
    """The newest handoffs first, optionally only those with one status."""
    query = (
        select(Handoff)
        .options(selectinload(Handoff.lead))
        .order_by(Handoff.created_at.desc(), Handoff.id)
        .limit(limit)
    )
    if status is not None:
        if status not in ALL_STATUSES:
            raise InvalidInput(
                f"unknown status {status!r}: use one of {', '.join(ALL_STATUSES)}"
            )
        query = query.where(Handoff.status == status)
    return list(session.scalars(query))


def get_handoff(session: Session, handoff_id: str) -> Handoff:
    """One handoff with its lead; :class:`NotFound` names the missing id."""
    handoff = session.get(Handoff, handoff_id, options=[selectinload(Handoff.lead)])
    if handoff is None:
        raise NotFound(f"no handoff with id {handoff_id!r}")
    return handoff


def set_status(session: Session, handoff_id: str, status: str) -> Handoff:
    """Record a rep's decision (accepted, rejected) or the outcome (won, lost)."""
    if status not in REP_STATUSES:
        raise InvalidInput(
            f"status must be one of {', '.join(REP_STATUSES)}; got {status!r}"
        )
    handoff = get_handoff(session, handoff_id)
    handoff.status = status
    session.flush()
    return handoff
