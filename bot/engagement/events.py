"""Accepting engagement events from the tracking snippet and website forms.

A batch is validated as a whole before anything is stored, so a malformed
event is answered with its reason and never half-written. Events carry a
client ``event_id``; a retried batch (flaky network, ``sendBeacon`` twice)
stores each event once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import answers
from bot.errors import InvalidInput
from bot.store import leads
from bot.store.models import Event, Lead

EventType = Literal[
    "page_view",
    "content_download",
    "webinar_signup",
    "newsletter_signup",
    "social_follow",
    "email_open",
    "email_click",
    "chat_message",
    "form_submit",
    "unsubscribe",
    "email_bounce",
]

#: Profile fields a website form may send along with its event.
FORM_FIELDS = ("name", "email", "company", "job_title")
MAX_CLOCK_SKEW = timedelta(minutes=10)
PropertyValue = str | int | float | bool | None


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("occurred_at needs a timezone, e.g. 2026-12-04T10:00:00Z")
    return value.astimezone(UTC)


class EventIn(BaseModel):
    """One event as the website sends it."""

    model_config = ConfigDict(extra="forbid")

    event_id: str | None = Field(default=None, min_length=1, max_length=64)
    type: EventType
    occurred_at: Annotated[datetime, AfterValidator(_aware)] | None = None
    properties: dict[str, PropertyValue] = Field(default_factory=dict, max_length=30)

    @field_validator("properties")
    @classmethod
    def _short_values(cls, value: dict[str, PropertyValue]) -> dict[str, PropertyValue]:
        for key, item in value.items():
            if len(key) > 40:
                raise ValueError(f"property name {key[:40]!r}... is over 40 characters")
            if isinstance(item, str) and len(item) > 1000:
                raise ValueError(f"property {key!r} is over 1000 characters")
        return value


class EventBatch(BaseModel):
    """What ``POST /api/events`` accepts: one visitor, 1-100 events."""

    model_config = ConfigDict(extra="forbid")

    visitor_id: str = Field(min_length=1, max_length=leads.MAX_VISITOR_ID)
    events: list[EventIn] = Field(min_length=1, max_length=100)


def record(session: Session, batch: EventBatch, now: datetime) -> tuple[Lead, int]:
    """Store a batch for its visitor; returns the lead and how many were new.

    Events dated in the future (beyond clock skew) are rejected: they would
    never decay and would distort the score.
    """
    for item in batch.events:
        if item.occurred_at and item.occurred_at > now + MAX_CLOCK_SKEW:
            raise InvalidInput(
                f"event {item.event_id or item.type} occurred_at "
                f"{item.occurred_at.isoformat()} is in the future"
            )
    visitor = leads.visitor(session, batch.visitor_id, seen_at=now)
    known = _known_ids(session, batch)
    stored = 0
    profile: dict[str, Any] = {}
    for item in batch.events:
        if item.event_id is not None and item.event_id in known:
            continue
        if item.event_id is not None:
            known.add(item.event_id)
        properties = dict(item.properties)
        for name in FORM_FIELDS:
            value = properties.pop(name, None)
            if isinstance(value, str) and value.strip():
                profile[name] = " ".join(value.split())  # one line, as typed
        session.add(
            Event(
                visitor_id=visitor.id,
                client_event_id=item.event_id,
                type=item.type,
                occurred_at=item.occurred_at or now,
                received_at=now,
                properties=properties,
            )
        )
        stored += 1
    lead = (
        leads.update_fields(session, visitor.lead, profile_fields(profile))
        if profile
        else visitor.lead
    )
    session.flush()
    return lead, stored


def profile_fields(profile: dict[str, Any]) -> dict[str, Any]:
    """A website form's fields with what the chat would derive from them.

    A job title gives the seniority and department, an email address its
    domain's kind, as the same answers typed in the chat would: a director
    who registered for a webinar scores as a director without being asked.
    A title or an address that doesn't read as one is kept as given.
    """
    fields = dict(profile)
    if "job_title" in profile:
        try:
            title = answers.parse_job_title(profile["job_title"])
        except InvalidInput:
            title = None  # kept as given: a form's odd title loses no event
        if title is not None:
            fields |= {"seniority": title.seniority, "department": title.department}
    if "email" in profile:
        try:
            email = answers.parse_email(profile["email"])
        except InvalidInput:
            return fields
        fields |= {"email": email.address, "email_domain_kind": email.kind}
    return fields


def _known_ids(session: Session, batch: EventBatch) -> set[str]:
    ids = [e.event_id for e in batch.events if e.event_id is not None]
    if not ids:
        return set()
    rows = session.scalars(
        select(Event.client_event_id).where(
            Event.visitor_id == batch.visitor_id, Event.client_event_id.in_(ids)
        )
    )
    return {row for row in rows if row is not None}
