"""The lead store's tables.

A *visitor* is one browser (the website's ``visitor_id`` cookie, which is also
Rasa's ``sender_id``); a *lead* is the person behind one or more visitors.
Events belong to visitors, so when two visitors turn out to be the same person
(same email) re-pointing the visitor moves every earlier event with it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Timezone-aware now; every timestamp in the store is UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """A random, unguessable id for rows that appear in URLs and webhooks."""
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is stored in UTC and always read back timezone-aware.

    SQLite has no timezone type and hands back naive values; normalising here
    keeps comparisons (decay, outbox due times) correct on every backend.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store UTC-aware times")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class Base(DeclarativeBase):
    """Declarative base of the lead store."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Lead(Base):
    """A person who may buy, with their answers and their latest score."""

    __tablename__ = "leads"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # What the visitor told us (or a website form did); product field names.
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    company: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    company_size: Mapped[int | None] = mapped_column(Integer)
    industry: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    use_case: Mapped[str | None] = mapped_column(Text)
    timeline: Mapped[str | None] = mapped_column(String(200))
    budget: Mapped[str | None] = mapped_column(String(200))
    decision_maker: Mapped[bool | None]
    consent: Mapped[bool | None]

    # What the actions derive from the answers.
    seniority: Mapped[str | None] = mapped_column(String(40))
    department: Mapped[str | None] = mapped_column(String(40))
    timeline_months: Mapped[int | None] = mapped_column(Integer)
    budget_amount: Mapped[float | None]
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    email_domain_kind: Mapped[str | None] = mapped_column(String(10))
    # What scoring derives: the yearly budget in the rules' base currency
    # (bot.qualification.exchange), empty when no rate covers the currency.
    budget_base: Mapped[float | None]
    budget_base_currency: Mapped[str | None] = mapped_column(String(3))

    # Conversation signals ("asked_pricing", "asked_human", ...).
    signals: Mapped[list[Any]] = mapped_column(default=list)
    outcome: Mapped[str | None] = mapped_column(String(40))

    # The latest score card, with the rules version that produced it.
    score_total: Mapped[int] = mapped_column(Integer, default=0)
    score_fit: Mapped[float] = mapped_column(default=0.0)
    score_engagement: Mapped[float] = mapped_column(default=0.0)
    grade: Mapped[str] = mapped_column(String(1), default="D")
    level: Mapped[int] = mapped_column(Integer, default=1)
    stage: Mapped[str] = mapped_column(String(20), default="visitor")
    score_reasons: Mapped[list[Any]] = mapped_column(default=list)
    score_version: Mapped[str | None] = mapped_column(String(100))
    scored_at: Mapped[datetime | None]
    # Per-rule daily event counts and event flags (bot.qualification.scorer),
    # so a nightly re-score decays counts without reading every event.
    engagement: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    visitors: Mapped[list[Visitor]] = relationship(back_populates="lead")


class Visitor(Base):
    """One browser's anonymous id, and the lead it belongs to."""

    __tablename__ = "visitors"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id"), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="visitors")


class Event(Base):
    """One engagement event from the website, an email tool or the chat."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("visitor_id", "client_event_id", name="uq_event_client_id"),
        Index("ix_events_visitor_time", "visitor_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    visitor_id: Mapped[str] = mapped_column(ForeignKey("visitors.id"))
    client_event_id: Mapped[str | None] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Handoff(Base):
    """A lead handed to sales: one per conversation, whatever retries happen."""

    __tablename__ = "handoffs"
    __table_args__ = (
        UniqueConstraint("conversation_id", name="uq_handoff_conversation"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(String(200))
    visitor_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="new")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)

    lead: Mapped[Lead] = relationship()


class OutboxMessage(Base):
    """A notification waiting to be delivered (transactional outbox).

    Written in the same transaction as its handoff, so a crash between "lead
    qualified" and "webhook sent" loses nothing: the dispatcher picks it up.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "delivered_at", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id"))
    channel: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    handoff: Mapped[Handoff] = relationship()


class ScoringVersion(Base):
    """A rules version scores were stored under, and the rules it named.

    Scores carry only the version's name; keeping the rules behind it lets a
    score be explained later, and catches a file changed under the same name.
    """

    __tablename__ = "scoring_versions"

    version: Mapped[str] = mapped_column(String(100), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    rules: Mapped[str] = mapped_column(Text)
    first_used_at: Mapped[datetime] = mapped_column(default=utcnow)
