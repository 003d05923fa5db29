"""Reading the ``engagement:`` section: event rules and behaviour rules.

Event types, properties and behaviour features are checked against
`scoring.vocabulary`, because a rule on something the website never sends
would score nothing without anyone noticing.
"""

from __future__ import annotations

import yaml

from scoring import vocabulary as vocab
from scoring.config_sections import read_bands, read_reason, read_rule_id
from scoring.matching import PropertyFilter
from scoring.rules import Band, BehaviourRule, EngagementRule
from scoring.yaml_nodes import NodeReader, suggest

ENGAGEMENT_KEYS = (
    "id", "event", "where", "points", "repeatable", "cap_per_day", "cap_total",
    "half_life_days", "reason",
)  # fmt: skip
BEHAVIOUR_KEYS = (
    "id", "feature", "bands", "window_days", "min_sessions", "missing", "reason",
)  # fmt: skip


def _filters(
    r: NodeReader, node: yaml.Node, rule: str, event: str
) -> tuple[PropertyFilter, ...]:
    known = vocab.EVENT_PROPERTIES[event]
    allowed = sorted(known | {p + "_prefix" for p in known})
    example = "'where: {path_prefix: /pricing}'"
    filters = []
    for key_node, value_node in r.free_mapping(node, f"'where' of '{rule}'", example):
        key = str(key_node.value)
        if key not in allowed:
            hint = (
                suggest(key, allowed)
                if allowed
                else f"'{event}' events carry no properties; remove 'where'"
            )
            raise r.error(
                key_node,
                f"rule '{rule}' filters on '{key}', which '{event}' lacks",
                hint,
            )
        items = (
            value_node.value
            if isinstance(value_node, yaml.SequenceNode)
            else [value_node]
        )
        what = f"'{key}' filter of rule '{rule}'"
        values = tuple(r.text(item, what, "'/pricing'") for item in items)
        if not values:
            raise r.error(value_node, f"{what} is empty", "give at least one value")
        if key.startswith("path"):
            for item, value in zip(items, values, strict=True):
                if not value.startswith("/"):
                    raise r.error(
                        item,
                        f"{what} is '{value}', but paths the website sends "
                        "start with '/'",
                        "write the path alone, e.g. '/pricing'"
                        if "://" in value
                        else f"write '/{value}'",
                    )
        prefix = key.endswith("_prefix")
        name = key.removesuffix("_prefix") if prefix else key
        filters.append(PropertyFilter(name, values, prefix))
    return tuple(filters)


def read_engagement_rule(r: NodeReader, node: yaml.Node) -> EngagementRule:
    """An engagement rule: points per matching event, capped, then decayed."""
    example = "'- {id: pricing, event: page_view, points: 5}'"
    required = ("id", "event", "points")
    keys = r.mapping(node, "an engagement rule", ENGAGEMENT_KEYS, required, example)
    rule = read_rule_id(r, keys)
    event = r.text(keys["event"], f"event of rule '{rule}'", "'event: page_view'")
    if event not in vocab.EVENT_PROPERTIES:
        raise r.error(
            keys["event"],
            f"rule '{rule}' counts '{event}' events, which the website never sends",
            suggest(event, vocab.EVENT_PROPERTIES),
        )

    def positive(name: str, example: str) -> float | None:
        if name not in keys:
            return None
        return r.positive(keys[name], f"{name} of rule '{rule}'", example)

    repeatable = True
    if "repeatable" in keys:
        what = f"repeatable of rule '{rule}'"
        repeatable = r.boolean(keys["repeatable"], what, "repeatable: false")
    return EngagementRule(
        id=rule,
        event=event,
        points=r.number(keys["points"], f"points of rule '{rule}'", "points: 5"),
        where=_filters(r, keys["where"], rule, event) if "where" in keys else (),
        repeatable=repeatable,
        cap_per_day=positive("cap_per_day", "cap_per_day: 6"),
        cap_total=positive("cap_total", "cap_total: 12"),
        half_life_days=positive("half_life_days", "half_life_days: 14"),
        reason=read_reason(r, keys, rule, vocab.ENGAGEMENT_TEMPLATE_FIELDS),
    )


def _feature_bands(
    r: NodeReader, node: yaml.Node, rule: str, feature: str
) -> tuple[Band, ...]:
    """Bands of a behaviour rule, held to the range its feature takes."""
    bands = read_bands(r, node, rule, vocab.BEHAVIOUR_TEMPLATE_FIELDS)
    if feature != "bounce_rate":
        return bands
    for band_node, band in zip(node.value, bands, strict=True):
        if band.min is not None and band.min > 1:
            raise r.error(
                band_node,
                f"rule '{rule}' has a bounce_rate band at {band.min:g}, but a "
                "bounce rate runs from 0 to 1",
                "write a share, e.g. 'min: 0.8' for 80%",
            )
        if band.max is not None and band.max >= 1:
            raise r.error(
                band_node,
                f"rule '{rule}' has a bounce_rate band up to {band.max:g}; max "
                "is not included, and a bounce rate runs from 0 to 1, so the "
                "leads who bounce every time would miss it",
                "leave 'max' out to include a bounce rate of 100%",
            )
    return bands


def read_behaviour_rule(r: NodeReader, node: yaml.Node) -> BehaviourRule:
    """A behaviour rule: bands on a feature computed from recent sessions."""
    example = "'- {id: frequent, feature: sessions, bands: [{min: 3, points: 5}]}'"
    required = ("id", "feature", "bands")
    keys = r.mapping(node, "a behaviour rule", BEHAVIOUR_KEYS, required, example)
    rule = read_rule_id(r, keys)
    feature = r.text(
        keys["feature"], f"feature of rule '{rule}'", "'feature: sessions'"
    )
    if feature not in vocab.BEHAVIOUR_FEATURES:
        raise r.error(
            keys["feature"],
            f"rule '{rule}' uses feature '{feature}', which is not computed",
            suggest(feature, vocab.BEHAVIOUR_FEATURES),
        )
    window = 30
    if "window_days" in keys:
        what = f"window_days of rule '{rule}'"
        window = int(r.positive(keys["window_days"], what, "window_days: 30"))
        r.integer(keys["window_days"], what, "window_days: 30")
    min_sessions = 0
    if "min_sessions" in keys:
        what = f"min_sessions of rule '{rule}'"
        min_sessions = r.integer(keys["min_sessions"], what, "min_sessions: 3")
    missing = 0.0
    if "missing" in keys:
        missing = r.number(keys["missing"], f"missing of rule '{rule}'", "missing: 0")
    return BehaviourRule(
        id=rule,
        feature=feature,
        bands=_feature_bands(r, keys["bands"], rule, feature),
        window_days=window,
        min_sessions=min_sessions,
        missing=missing,
        reason=read_reason(r, keys, rule, vocab.BEHAVIOUR_TEMPLATE_FIELDS),
    )
