"""Plain data in and out of the scoring engine.

Everything here is a frozen dataclass so a score card can be stored, compared
and explained later without the engine that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

AttributeValue = str | int | float | bool | None

Source = Literal["fit", "engagement", "conversation", "negative", "base"]
Grade = Literal["A", "B", "C", "D"]
Stage = Literal["visitor", "lead", "mql", "dmql", "sql", "disqualified"]


@dataclass(frozen=True)
class EngagementEvent:
    """One thing the visitor did on the website or in an email.

    `type` is the event type the tracking snippet sends (``page_view``,
    ``content_download``, ``webinar_signup``, ...); `properties` carries its
    details (``path`` for a page view, ``asset`` for a download).
    """

    type: str
    at: datetime
    properties: Mapping[str, AttributeValue] = field(default_factory=dict)


@dataclass(frozen=True)
class LeadInput:
    """What is known about one lead at scoring time.

    `attributes` are the lead's fields by their product names (``seniority``,
    ``company_size``, ``budget_amount``, ``email_domain_kind``, ...) or, for a
    fitted scorecard, by the column names of its mapping file. `signals` are
    conversation signals such as ``asked_pricing`` or ``asked_human``.
    `accepted_by_sales` moves a DMQL on to SQL.
    """

    attributes: Mapping[str, AttributeValue] = field(default_factory=dict)
    events: tuple[EngagementEvent, ...] = ()
    signals: frozenset[str] = frozenset()
    accepted_by_sales: bool = False


@dataclass(frozen=True)
class Contribution:
    """One rule's share of a score, with a sentence a sales rep can read."""

    rule: str
    source: Source
    points: float
    reason: str


@dataclass(frozen=True)
class ScoreCard:
    """The result of scoring one lead under one version of the rules."""

    total: int
    fit: float
    engagement: float
    grade: Grade
    level: int
    stage: Stage
    contributions: tuple[Contribution, ...]
    model_version: str
    probability: float | None = None
