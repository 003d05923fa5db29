"""Aggregates count what scoring needs: per rule per day, visits, last seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.aggregate import (
    EngagementAggregates,
    Visit,
    add_events,
    aggregate,
    aggregate_days,
    day_of,
    merge,
    property_events,
)
from scoring.errors import StaleAggregatesError
from scoring.model import EngagementEvent
from scoring.rules import ScoringRules
from tests.scoring.factories import NOW, make_event, make_rules, page_views
from tests.scoring.strategies import events, scoring_rules

RULES = """
    version: "a1"
    engagement:
      rules:
        - {id: views, event: page_view, points: 1}
        - {id: pricing, event: page_view, where: {path_prefix: /pricing}, points: 5}
        - id: guide
          event: content_download
          where: {asset: [guide, ebook]}
          points: 5
"""


def test_events_are_counted_per_matching_rule_and_utc_day() -> None:
    rules = make_rules(RULES)
    today = NOW.toordinal()
    evs = (
        *page_views("/", "/pricing", "/pricing/teams"),
        *page_views("/pricing", session="s2", days_ago=3),
        make_event("content_download", 1, asset="guide"),
        make_event("content_download", 1, asset="whitepaper"),
        make_event("newsletter_signup", 0),
    )

    agg = aggregate(rules, evs)

    assert agg.rule_days == {
        "views": {today: 3, today - 3: 1},
        "pricing": {today: 2, today - 3: 1},
        "guide": {today - 1: 1},
    }
    assert agg.active_days == {today: 4, today - 1: 2, today - 3: 1}
    assert agg.visits == {"s1": Visit(3, today), "s2": Visit(1, today - 3)}
    assert agg.last_seen_day == today


def test_days_are_utc_whatever_the_events_time_zone() -> None:
    rules = make_rules(RULES)
    tokyo = timezone(timedelta(hours=9))
    late_evening_utc = datetime(2025, 6, 1, 23, 30, tzinfo=UTC)
    same_moment_in_tokyo = late_evening_utc.astimezone(tokyo)
    naive_utc = datetime(2025, 6, 1, 23, 30)

    days = [
        aggregate(rules, (EngagementEvent("page_view", at, {}),)).last_seen_day
        for at in (late_evening_utc, same_moment_in_tokyo, naive_utc)
    ]

    assert days == [late_evening_utc.toordinal()] * 3


def test_add_events_folds_new_events_into_stored_aggregates() -> None:
    rules = make_rules(RULES)
    stored = aggregate(rules, page_views("/pricing", days_ago=2))

    updated = add_events(rules, stored, page_views("/pricing", "/about", days_ago=2))

    assert updated == aggregate(
        rules, page_views("/pricing", "/pricing", "/about", days_ago=2)
    )
    assert updated.visits["s1"].pages == 3


def test_merging_aggregates_of_other_rules_is_refused() -> None:
    one = aggregate(make_rules(RULES), ())
    other = aggregate(make_rules(RULES.replace("/pricing", "/plans")), ())

    with pytest.raises(StaleAggregatesError, match="re-aggregate"):
        merge(one, other)


def test_stored_form_round_trips_and_bad_data_is_a_scoring_error() -> None:
    rules = make_rules(RULES)
    agg = aggregate(rules, page_views("/", "/pricing"))

    assert EngagementAggregates.from_dict(agg.to_dict()) == agg
    with pytest.raises(StaleAggregatesError):
        EngagementAggregates.from_dict({"fingerprint": "x", "rule_days": []})


def test_only_page_views_and_filtered_event_types_need_their_properties() -> None:
    assert property_events(make_rules(RULES)) == {"page_view", "content_download"}


@settings(max_examples=150, deadline=None)
@given(scoring_rules(), events(), st.data())
def test_counting_known_days_without_unread_properties_equals_counting_events(
    rules: ScoringRules, evs: tuple[EngagementEvent, ...], data: st.DataObject
) -> None:
    # Any property on any event, in any time zone; counting from (type, day)
    # with the properties of types outside `property_events` dropped must
    # give the same aggregates.
    extra = st.dictionaries(
        st.sampled_from(("path", "session_id", "asset")),
        st.sampled_from(("/pricing", "s1", "guide")) | st.integers(0, 2),
        max_size=2,
    )
    zones = st.sampled_from(
        (UTC, timezone(timedelta(hours=9)), timezone(-timedelta(hours=5)))
    )
    evs = tuple(
        EngagementEvent(
            e.type,
            e.at.astimezone(data.draw(zones)),
            {**data.draw(extra), **e.properties},
        )
        for e in evs
    )
    read = property_events(rules)

    counted = aggregate_days(
        rules,
        [(e.type, day_of(e.at), e.properties if e.type in read else {}) for e in evs],
    )

    assert counted == aggregate(rules, evs)
