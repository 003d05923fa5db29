"""Scoring rules as plain, frozen data.

`scoring.config` builds these from YAML and checks them; `scoring.engine`
only reads them. Keeping rules as data (not code) is what lets a marketer
change scoring by editing a file, and lets a fitted scorecard be loaded the
same way as the hand-written one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from types import MappingProxyType

from scoring.matching import EventMatcher, PropertyFilter
from scoring.model import AttributeValue, Grade

CategoryKey = str
"""A categorical value in one canonical text form, so 'VP', ' vp' and 'vp'
match, 3 matches 3.0 and "3", and True matches "true" (the way a scorecard
written by a program may quote it) but never 1."""


def category_key(value: AttributeValue) -> CategoryKey | None:
    """Normalise an attribute value or a YAML key for categorical matching."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value.strip().casefold()


def _empty_points() -> Mapping[CategoryKey, float]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Band:
    """A numeric range: `min` inclusive, `max` exclusive, either open.

    `reason`, when given, is said for values in this band instead of the
    rule's own ("Buying now" where the rule says "Buying within 3 months").
    """

    min: float | None
    max: float | None
    points: float
    reason: str | None = None

    def contains(self, value: float) -> bool:
        """Whether `value` falls in this band."""
        if self.min is not None and value < self.min:
            return False
        return self.max is None or value < self.max


@dataclass(frozen=True)
class FitRule:
    """Points for who the lead is: one attribute, categorical or banded."""

    id: str
    field: str
    points: Mapping[CategoryKey, float] = dataclass_field(default_factory=_empty_points)
    bands: tuple[Band, ...] = ()
    default: float = 0.0
    missing: float = 0.0
    reason: str | None = None


@dataclass(frozen=True)
class EngagementRule:
    """Points for something the lead did, fading with its own half-life.

    Caps apply to raw points before decay (per day first, then the total,
    newest days first), so a fresh event always counts in full and can lift a
    faded score again.
    """

    id: str
    event: str
    points: float
    where: tuple[PropertyFilter, ...] = ()
    repeatable: bool = True
    cap_per_day: float | None = None
    cap_total: float | None = None
    half_life_days: float | None = None
    reason: str | None = None


@dataclass(frozen=True)
class BehaviourRule:
    """Points from a feature computed over the lead's recent sessions."""

    id: str
    feature: str
    bands: tuple[Band, ...]
    window_days: int = 30
    min_sessions: int = 0
    missing: float = 0.0
    reason: str | None = None


@dataclass(frozen=True)
class ConversationRule:
    """Points for a signal the chatbot picked up (``asked_pricing``...)."""

    id: str
    signal: str
    points: float
    reason: str | None = None


@dataclass(frozen=True)
class NegativeRule:
    """Points taken away, or a disqualification, when an attribute matches."""

    id: str
    field: str
    values: frozenset[CategoryKey]
    points: float
    disqualify: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class Calibration:
    """Maps the points total to a conversion probability (logistic)."""

    intercept: float
    slope: float
    method: str = "logistic"


@dataclass(frozen=True)
class StageThresholds:
    """Total score (and fit grade) needed for each qualified stage."""

    mql_total: float = 35.0
    dmql_total: float = 60.0
    dmql_min_grade: Grade = "B"


#: The currency of money bands when the rules name none.
DEFAULT_CURRENCY = "USD"
DEFAULT_GRADES: tuple[tuple[Grade, float], ...] = (
    ("A", 45.0),
    ("B", 30.0),
    ("C", 15.0),
)
DEFAULT_LEVELS: tuple[tuple[int, float], ...] = ((4, 25.0), (3, 15.0), (2, 5.0))


def _no_fields() -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True)
class QuestionPolicy:
    """What can be asked, from the ``questions:`` section of the rules file.

    Attributes:
        first: asked before anything else, whatever their swing (an opener
            such as the use case gives the rep context).
        ask: the qualifying questions; their order breaks ties in swing.
        contact: asked last, and only while a handoff or next step needs
            them (name, email, consent).
        informs: which score fields an answer fills, when not the question's
            own name (a job title fills seniority and department).
    """

    first: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    contact: tuple[str, ...] = ()
    informs: Mapping[str, tuple[str, ...]] = dataclass_field(default_factory=_no_fields)

    @property
    def all_questions(self) -> tuple[str, ...]:
        """Every question, in the order of the policy file."""
        return (*self.first, *self.ask, *self.contact)

    def fields_of(self, question: str) -> tuple[str, ...]:
        """The score fields an answer to `question` fills."""
        return self.informs.get(question, (question,))


@dataclass(frozen=True)
class ScoringRules:
    """One version of the scoring rules, as loaded from a YAML file."""

    version: str
    base: float = 0.0
    #: ISO 4217 code of the money bands (budgets are converted to it first).
    currency: str = DEFAULT_CURRENCY
    fit_cap: float | None = None
    fit_rules: tuple[FitRule, ...] = ()
    engagement_cap: float | None = None
    engagement_rules: tuple[EngagementRule, ...] = ()
    behaviour_rules: tuple[BehaviourRule, ...] = ()
    conversation_cap: float | None = None
    conversation_rules: tuple[ConversationRule, ...] = ()
    negative_rules: tuple[NegativeRule, ...] = ()
    grades: tuple[tuple[Grade, float], ...] = DEFAULT_GRADES
    levels: tuple[tuple[int, float], ...] = DEFAULT_LEVELS
    stages: StageThresholds = StageThresholds()
    calibration: Calibration | None = None
    questions: QuestionPolicy = QuestionPolicy()
    source: str = "<rules>"

    @cached_property
    def engagement_fingerprint(self) -> str:
        """Identifies what the engagement aggregates count.

        Only event matching goes in: points, caps and half-lives can change
        without re-reading events; a new event type or filter cannot.
        """
        parts = [
            f"{r.id}|{r.event}|"
            + ";".join(
                f"{f.property}{'^' if f.prefix else '='}{f.values}" for f in r.where
            )
            for r in self.engagement_rules
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    @cached_property
    def event_matcher(self) -> EventMatcher:
        """Matches events to engagement rules; built once per rules object."""
        return EventMatcher((r.event, r.id, r.where) for r in self.engagement_rules)
