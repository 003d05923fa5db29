"""Hypothesis strategies: random rules, events and leads for property tests."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from scoring.matching import PropertyFilter
from scoring.model import EngagementEvent
from scoring.rules import (
    Band,
    ConversationRule,
    EngagementRule,
    FitRule,
    NegativeRule,
    ScoringRules,
    category_key,
)
from tests.scoring.factories import NOW

EVENT_TYPES = ("page_view", "content_download", "webinar_signup", "email_click")
PATHS = ("/", "/pricing", "/pricing/teams", "/blog/a", "/careers")
SIGNALS = ("asked_pricing", "asked_demo", "urgent")

caps = st.none() | st.floats(1, 30)
half_lives = st.none() | st.floats(0.5, 120)


@st.composite
def engagement_rules(draw: st.DrawFn, positive: bool) -> tuple[EngagementRule, ...]:
    """Engagement rules with distinct ids; all-positive points if asked."""
    count = draw(st.integers(1, 5))
    points = st.floats(0.5, 20) if positive else st.floats(-20, 20)
    rules = []
    for i in range(count):
        event = draw(st.sampled_from(EVENT_TYPES))
        where: tuple[PropertyFilter, ...] = ()
        if event == "page_view" and draw(st.booleans()):
            where = (PropertyFilter("path", (draw(st.sampled_from(PATHS)),), True),)
        rules.append(
            EngagementRule(
                id=f"e{i}",
                event=event,
                points=draw(points),
                where=where,
                repeatable=draw(st.booleans()),
                cap_per_day=draw(caps),
                cap_total=draw(caps),
                half_life_days=draw(half_lives),
            )
        )
    return tuple(rules)


@st.composite
def scoring_rules(draw: st.DrawFn, positive: bool = False) -> ScoringRules:
    """A full rule set; `positive` keeps every engagement/signal point >= 0."""
    signed = st.floats(0, 30) if positive else st.floats(-40, 60)
    fit = FitRule(
        id="seniority",
        field="seniority",
        points={category_key(v): draw(signed) for v in ("vp", "manager", "student")},  # type: ignore[misc]
    )
    size = FitRule(
        id="size",
        field="company_size",
        bands=(Band(None, 50, draw(signed)), Band(50, None, draw(signed))),
        missing=draw(signed),
    )
    return ScoringRules(
        version="prop",
        base=draw(st.floats(-10, 30)),
        fit_cap=draw(st.none() | st.floats(1, 80)),
        fit_rules=(fit, size),
        engagement_cap=draw(st.none() | st.floats(1, 60)),
        engagement_rules=draw(engagement_rules(positive)),
        conversation_cap=draw(st.none() | st.floats(1, 30)),
        conversation_rules=tuple(
            ConversationRule(
                f"c_{s}", s, draw(st.floats(0, 15) if positive else signed)
            )
            for s in SIGNALS
        ),
        negative_rules=(
            NegativeRule("student", "seniority", frozenset({"student"}), -30, True),
        ),
    )


@st.composite
def events(draw: st.DrawFn, max_size: int = 30) -> tuple[EngagementEvent, ...]:
    """Events over the last 400 days, in a few sessions."""
    made = []
    for _ in range(draw(st.integers(0, max_size))):
        event_type = draw(st.sampled_from(EVENT_TYPES))
        at = NOW - timedelta(hours=draw(st.integers(-30, 400 * 24)))
        props: dict[str, str] = {}
        if event_type == "page_view":
            props = {
                "path": draw(st.sampled_from(PATHS)),
                "session_id": draw(st.sampled_from(("s1", "s2", "s3", "s4"))),
            }
        made.append(EngagementEvent(event_type, at, props))
    return tuple(made)


attributes = st.fixed_dictionaries(
    {},
    optional={
        "email": st.just("a@b.example"),
        "seniority": st.sampled_from(("vp", "manager", "student", "other")),
        "company_size": st.integers(1, 5000),
    },
)
signals = st.frozensets(st.sampled_from(SIGNALS))
