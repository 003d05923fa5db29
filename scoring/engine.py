"""Scoring one lead: rules + what is known about the lead -> an explained card.

Every point comes from one rule and carries the sentence that explains it;
the contributions add up to the total before it is clamped to 0-100, caps
included (a cap shows as its own negative contribution). The engine is pure:
the same rules, lead and moment always give the same card.

Hot path: `score_aggregates` reads only a lead's compact aggregates, so a
nightly re-score of every lead never re-reads their events.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime

from scoring import reasons, stages
from scoring.aggregate import EngagementAggregates, aggregate, day_of
from scoring.decay import rule_points
from scoring.errors import StaleAggregatesError
from scoring.features import DEFAULT_REASONS, describe, feature_value
from scoring.model import AttributeValue, Contribution, LeadInput, ScoreCard, Source
from scoring.rules import Band, FitRule, ScoringRules, category_key
from scoring.vocabulary import SIGNAL_REASONS

DEFAULT_EVENT_REASON = "{event} ×{count}, last {last_seen}"


def score(rules: ScoringRules, lead: LeadInput, now: datetime) -> ScoreCard:
    """Score a lead from its full event history (aggregated on the way)."""
    return score_aggregates(
        rules,
        aggregate(rules, lead.events),
        now,
        attributes=lead.attributes,
        signals=lead.signals,
        accepted_by_sales=lead.accepted_by_sales,
    )


def score_aggregates(
    rules: ScoringRules,
    aggregates: EngagementAggregates,
    now: datetime,
    *,
    attributes: Mapping[str, AttributeValue],
    signals: frozenset[str] = frozenset(),
    accepted_by_sales: bool = False,
) -> ScoreCard:
    """Score a lead from its stored engagement aggregates.

    Raises:
        StaleAggregatesError: The aggregates were counted for engagement rules
            that match events differently; rebuild them with `aggregate`.
    """
    if aggregates.fingerprint != rules.engagement_fingerprint:
        raise StaleAggregatesError(
            f"engagement aggregates do not match scoring rules {rules.version!r}; "
            "re-aggregate the lead's events"
        )
    out: list[Contribution] = []
    if rules.base:
        reason = f"Starting points of scorecard {rules.version}"
        out.append(Contribution("base", "base", rules.base, reason))
    fit = _fit(rules, attributes, out)
    engagement = _engagement(rules, aggregates, day_of(now), out)
    _conversation(rules, signals, out)
    disqualified = _negative(rules, attributes, out)
    points = math.fsum(c.points for c in out)
    total = min(max(math.floor(points + 0.5), 0), 100)
    grade = stages.grade_for(rules.grades, fit)
    stage = stages.stage_for(
        rules.stages,
        total=total,
        grade=grade,
        disqualified=disqualified,
        contactable=stages.has_email(attributes),
        accepted_by_sales=accepted_by_sales,
    )
    return ScoreCard(
        total=total,
        fit=fit,
        engagement=engagement,
        grade=grade,
        level=stages.level_for(rules.levels, engagement),
        stage=stage,
        contributions=tuple(out),
        model_version=rules.version,
        probability=stages.probability(rules.calibration, points),
    )


def _capped(
    section: Source,
    cap: float | None,
    added: list[Contribution],
    out: list[Contribution],
) -> float:
    """Append a section's contributions, plus one for its cap when it bites."""
    out.extend(added)
    points = math.fsum(c.points for c in added)
    if cap is not None and points > cap:
        reason = f"{reasons.label(section)} points are capped at {cap:g}"
        out.append(Contribution(f"{section}_cap", section, cap - points, reason))
        return cap
    return points


def _band(bands: tuple[Band, ...], value: float | None) -> Band | None:
    """The first band holding ``value``; None for no value or no band."""
    if value is None:
        return None
    return next((band for band in bands if band.contains(value)), None)


def _as_number(value: AttributeValue) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def _fit_rule_points(rule: FitRule, value: AttributeValue) -> tuple[float, str | None]:
    """The rule's points for ``value`` and the reason template to say them with."""
    if value is None or value == "":
        return rule.missing, rule.reason
    if rule.bands:
        band = _band(rule.bands, _as_number(value))
        if band is None:
            return rule.default, rule.reason
        return band.points, band.reason or rule.reason
    key = category_key(value)
    points = rule.points.get(key, rule.default) if key is not None else rule.missing
    return points, rule.reason


def _fit(
    rules: ScoringRules,
    attributes: Mapping[str, AttributeValue],
    out: list[Contribution],
) -> float:
    added = []
    for rule in rules.fit_rules:
        value = attributes.get(rule.field)
        points, template = _fit_rule_points(rule, value)
        if points:
            if template is None:
                reason = f"{reasons.label(rule.field)}: {reasons.show(value)}"
            else:
                fields = {
                    "value": reasons.show(value),
                    "s": reasons.plural(value),
                    "points": points,
                    "field": rule.field,
                    "currency": rules.currency,
                }
                reason = reasons.fill(template, fields)
            added.append(Contribution(rule.id, "fit", points, reason))
    return _capped("fit", rules.fit_cap, added, out)


def _engagement(
    rules: ScoringRules,
    aggregates: EngagementAggregates,
    today: int,
    out: list[Contribution],
) -> float:
    added = []
    for rule in rules.engagement_rules:
        days = aggregates.rule_days.get(rule.id)
        if not days:
            continue
        points = rule_points(rule, days, today)
        if points:
            age = max(today - max(days), 0)
            count = sum(days.values())
            fields = {
                "count": count,
                "s": reasons.plural(count),
                "points": points,
                "days_ago": age,
                "last_seen": reasons.days_ago(age),
                "event": rule.event.replace("_", " "),
            }
            if rule.reason is None:
                reason = reasons.label(reasons.fill(DEFAULT_EVENT_REASON, fields))
            else:
                reason = reasons.fill(rule.reason, fields)
            added.append(Contribution(rule.id, "engagement", points, reason))
    for behaviour in rules.behaviour_rules:
        value = feature_value(behaviour, aggregates, today)
        band = _band(behaviour.bands, value)
        points = behaviour.missing if band is None else band.points
        if points:
            fields = {
                "value": "unknown"
                if value is None
                else describe(behaviour.feature, value),
                "points": points,
                "feature": behaviour.feature,
                "window_days": behaviour.window_days,
            }
            template = (
                (band and band.reason)
                or behaviour.reason
                or DEFAULT_REASONS[behaviour.feature]
            )
            reason = reasons.fill(template, fields)
            added.append(Contribution(behaviour.id, "engagement", points, reason))
    return _capped("engagement", rules.engagement_cap, added, out)


def _conversation(
    rules: ScoringRules, signals: frozenset[str], out: list[Contribution]
) -> None:
    added = []
    for rule in rules.conversation_rules:
        if rule.signal in signals and rule.points:
            fields = {"points": rule.points, "signal": rule.signal}
            template = rule.reason or SIGNAL_REASONS[rule.signal]
            reason = reasons.fill(template, fields)
            added.append(Contribution(rule.id, "conversation", rule.points, reason))
    _capped("conversation", rules.conversation_cap, added, out)


def _negative(
    rules: ScoringRules,
    attributes: Mapping[str, AttributeValue],
    out: list[Contribution],
) -> bool:
    """Append matching negative rules; True when one of them disqualifies."""
    disqualified = False
    for rule in rules.negative_rules:
        value = attributes.get(rule.field)
        if category_key(value) not in rule.values:
            continue
        disqualified = disqualified or rule.disqualify
        if rule.reason is None:
            reason = f"{reasons.label(rule.field)}: {reasons.show(value)}"
            if rule.disqualify:
                reason += " (disqualifies)"
        else:
            fields = {
                "value": reasons.show(value),
                "points": rule.points,
                "field": rule.field,
            }
            reason = reasons.fill(rule.reason, fields)
        out.append(Contribution(rule.id, "negative", rule.points, reason))
    return disqualified
