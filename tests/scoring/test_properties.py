"""Properties that must hold for any rules and any lead."""

from __future__ import annotations

import json
import math
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.aggregate import EngagementAggregates, aggregate, merge
from scoring.engine import score, score_aggregates
from scoring.model import EngagementEvent, LeadInput
from scoring.rules import ScoringRules
from tests.scoring.factories import NOW, default_rules, make_event
from tests.scoring.strategies import attributes, events, scoring_rules, signals

PROPERTY = settings(max_examples=150, deadline=None)

STAGES = {"visitor", "lead", "mql", "dmql", "sql", "disqualified"}


@PROPERTY
@given(scoring_rules(), attributes, events(), signals, st.booleans())
def test_bounds_hold_and_contributions_add_up(
    rules: ScoringRules,
    attrs: dict,  # type: ignore[type-arg]
    evs: tuple[EngagementEvent, ...],
    sigs: frozenset[str],
    accepted: bool,
) -> None:
    card = score(rules, LeadInput(attrs, evs, sigs, accepted), NOW)

    raw = math.fsum(c.points for c in card.contributions)
    assert 0 <= card.total <= 100
    assert card.total == min(max(math.floor(raw + 0.5), 0), 100)
    assert card.grade in {"A", "B", "C", "D"}
    assert card.level in {1, 2, 3, 4}
    assert card.stage in STAGES
    assert all(c.reason.strip() for c in card.contributions)


@PROPERTY
@given(scoring_rules(positive=True), attributes, events(), events(max_size=3), signals)
def test_more_positive_engagement_never_lowers_a_score(
    rules: ScoringRules,
    attrs: dict,  # type: ignore[type-arg]
    before: tuple[EngagementEvent, ...],
    extra: tuple[EngagementEvent, ...],
    sigs: frozenset[str],
) -> None:
    old = score(rules, LeadInput(attrs, before, sigs), NOW)
    new = score(rules, LeadInput(attrs, before + extra, sigs), NOW)

    assert new.engagement >= old.engagement - 1e-9
    assert new.total >= old.total


@PROPERTY
@given(scoring_rules(positive=True), attributes, events(), signals, signals)
def test_more_positive_signals_never_lower_a_score(
    rules: ScoringRules,
    attrs: dict,  # type: ignore[type-arg]
    evs: tuple[EngagementEvent, ...],
    some: frozenset[str],
    more: frozenset[str],
) -> None:
    old = score(rules, LeadInput(attrs, evs, some), NOW)
    new = score(rules, LeadInput(attrs, evs, some | more), NOW)

    assert new.total >= old.total


@PROPERTY
@given(scoring_rules(positive=True), events(), st.integers(0, 400))
def test_engagement_only_fades_as_time_passes(
    rules: ScoringRules, evs: tuple[EngagementEvent, ...], days_later: int
) -> None:
    later = NOW + timedelta(days=days_later)

    now_card = score(rules, LeadInput({}, evs), NOW)
    later_card = score(rules, LeadInput({}, evs), later)

    assert later_card.engagement <= now_card.engagement + 1e-9


@PROPERTY
@given(scoring_rules(), attributes, events(), signals)
def test_rescoring_changes_nothing_and_aggregates_equal_events(
    rules: ScoringRules,
    attrs: dict,  # type: ignore[type-arg]
    evs: tuple[EngagementEvent, ...],
    sigs: frozenset[str],
) -> None:
    lead = LeadInput(attrs, evs, sigs)

    first = score(rules, lead, NOW)
    second = score(rules, lead, NOW)
    from_aggregates = score_aggregates(
        rules, aggregate(rules, evs), NOW, attributes=attrs, signals=sigs
    )

    assert first == second == from_aggregates


@PROPERTY
@given(scoring_rules(), events(), st.data())
def test_aggregates_merged_in_batches_equal_aggregates_of_all(
    rules: ScoringRules, evs: tuple[EngagementEvent, ...], data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(evs)), max_size=4)))
    batches = [evs[a:b] for a, b in zip([0, *cuts], [*cuts, len(evs)], strict=True)]

    merged = aggregate(rules, ())
    for batch in batches:
        merged = merge(merged, aggregate(rules, batch))
    stored = EngagementAggregates.from_dict(json.loads(json.dumps(merged.to_dict())))

    assert merged == aggregate(rules, evs)
    assert stored == merged
    assert score_aggregates(rules, stored, NOW, attributes={}) == score(
        rules, LeadInput({}, evs), NOW
    )


POSITIVE_DEFAULT_EVENTS = st.sampled_from(
    (
        make_event("content_download", asset="guide"),
        make_event("webinar_signup", webinar="w1"),
        make_event("newsletter_signup"),
        make_event("social_follow", network="linkedin"),
        make_event("email_open"),
        make_event("email_click"),
        make_event("chat_message"),
        make_event("form_submit", path="/contact"),
        make_event("page_view", path="/pricing", session_id="s1"),
        make_event("page_view", path="/customers/acme", session_id="s1"),
    )
)


@PROPERTY
@given(events(), st.lists(POSITIVE_DEFAULT_EVENTS, min_size=1, max_size=5), attributes)
def test_default_rules_never_lower_a_score_for_more_positive_events(
    before: tuple[EngagementEvent, ...],
    extra: list[EngagementEvent],
    attrs: dict,  # type: ignore[type-arg]
) -> None:
    rules = default_rules()
    seeded = (make_event("page_view", path="/", session_id="s1"), *before)

    old = score(rules, LeadInput(attrs, seeded), NOW)
    new = score(rules, LeadInput(attrs, (*seeded, *extra)), NOW)

    assert new.total >= old.total
    assert new.engagement >= old.engagement - 1e-9
