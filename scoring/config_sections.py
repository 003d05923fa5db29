"""Reading each rule section of a scoring YAML file into frozen rules.

Every check here raises at load with the line and the fix, so a mistake in
the rules file stops start-up instead of quietly scoring every lead wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType

import yaml

from scoring import vocabulary as vocab
from scoring.rules import (
    Band,
    CategoryKey,
    ConversationRule,
    FitRule,
    NegativeRule,
    category_key,
)
from scoring.yaml_nodes import NodeReader, suggest

FIT_KEYS = ("id", "field", "points", "bands", "default", "missing", "reason")
RESERVED_IDS = frozenset({"base", "fit_cap", "engagement_cap", "conversation_cap"})
"""Ids the engine uses for the base points and the section caps."""
CONVERSATION_KEYS = ("id", "signal", "points", "reason")
NEGATIVE_KEYS = ("id", "field", "equals", "in", "points", "disqualify", "reason")


def read_rule_list[RuleT](
    r: NodeReader,
    node: yaml.Node,
    section: str,
    example: str,
    read_one: Callable[[NodeReader, yaml.Node], RuleT],
    seen_ids: dict[str, yaml.Node],
) -> tuple[RuleT, ...]:
    """Read a list of rules, refusing an id already used anywhere in the file."""
    rules = []
    for item in r.sequence(node, f"'{section}'", example):
        if isinstance(item, yaml.MappingNode):
            for key_node, value_node in item.value:
                if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                    rule_id = str(value_node.value)
                    if rule_id in RESERVED_IDS:
                        raise r.error(
                            value_node,
                            f"rule id '{rule_id}' is reserved for the score card",
                            f"rename the rule, e.g. '{rule_id}_rule'",
                        )
                    if rule_id in seen_ids:
                        first = seen_ids[rule_id].start_mark.line + 1
                        raise r.error(
                            value_node,
                            f"rule id '{rule_id}' is used twice (also line {first})",
                            "give every rule its own id; scores cite rules by id",
                        )
                    seen_ids[rule_id] = value_node
        rules.append(read_one(r, item))
    return tuple(rules)


def read_bands(
    r: NodeReader, node: yaml.Node, rule: str, fields: Mapping[str, object]
) -> tuple[Band, ...]:
    """A rule's numeric bands; a band's own `reason` may use the rule's ``fields``."""
    example = "'- {min: 11, max: 201, points: 8}'"
    bands: list[Band] = []
    for item in r.sequence(node, f"bands of rule '{rule}'", example):
        keys = r.mapping(
            item,
            f"a band of rule '{rule}'",
            ("min", "max", "points", "reason"),
            ("points",),
            example,
        )
        low = (
            r.number(keys["min"], f"rule '{rule}' band min", "min: 11")
            if "min" in keys
            else None
        )
        high = (
            r.number(keys["max"], f"rule '{rule}' band max", "max: 201")
            if "max" in keys
            else None
        )
        if low is not None and high is not None and low >= high:
            raise r.error(
                item,
                f"rule '{rule}' has a band from {low:g} to {high:g}, which is empty",
                "min is inclusive and max exclusive, so max must be above min",
            )
        points = r.number(keys["points"], f"rule '{rule}' band points", "points: 8")
        band = Band(low, high, points, read_reason(r, keys, rule, fields))
        for earlier in bands:
            if _covers(earlier, band):
                raise r.error(
                    item,
                    f"rule '{rule}' has a band {_span(band)} that can never "
                    f"apply: the earlier band {_span(earlier)} covers it, and "
                    "the first band that fits wins",
                    "make the bands follow each other without overlap, e.g. "
                    "'{max: 50}', '{min: 50, max: 200}', '{min: 200}'",
                )
        bands.append(band)
    if not bands:
        raise r.error(
            node,
            f"rule '{rule}' has an empty 'bands' list",
            f"add a band, e.g. {example}",
        )
    return tuple(bands)


def _covers(earlier: Band, band: Band) -> bool:
    """Whether every value of `band` already falls into `earlier`."""
    below = earlier.min is None or (band.min is not None and earlier.min <= band.min)
    above = earlier.max is None or (band.max is not None and earlier.max >= band.max)
    return below and above


def _span(band: Band) -> str:
    low = "" if band.min is None else f"min {band.min:g}"
    high = "" if band.max is None else f"max {band.max:g}"
    return "{" + ", ".join(part for part in (low, high) if part) + "}"


def read_reason(
    r: NodeReader, keys: dict[str, yaml.Node], rule: str, fields: Mapping[str, object]
) -> str | None:
    if "reason" not in keys:
        return None
    return r.template(keys["reason"], f"reason of rule '{rule}'", fields)


def read_rule_id(r: NodeReader, keys: dict[str, yaml.Node]) -> str:
    return r.text(keys["id"], "rule id", "'id: seniority'")


def read_fit_rule(r: NodeReader, node: yaml.Node) -> FitRule:
    """A fit rule: categorical `points` or numeric `bands` on one attribute."""
    example = "'- {id: seniority, field: seniority, points: {vp: 18}}'"
    keys = r.mapping(node, "a fit rule", FIT_KEYS, ("id", "field"), example)
    rule = read_rule_id(r, keys)
    if ("points" in keys) == ("bands" in keys):
        raise r.error(
            node,
            f"fit rule '{rule}' needs 'points' (categories) or 'bands' (numbers)",
            "use 'points: {vp: 18}' for categories or 'bands:' for numeric ranges",
        )
    return FitRule(
        id=rule,
        field=r.text(keys["field"], f"field of rule '{rule}'", "'field: seniority'"),
        points=_category_points(r, keys["points"], rule) if "points" in keys else {},
        bands=(
            read_bands(r, keys["bands"], rule, vocab.FIT_TEMPLATE_FIELDS)
            if "bands" in keys
            else ()
        ),
        default=r.optional_number(keys, "default", f"rule '{rule}'", 0.0),
        missing=r.optional_number(keys, "missing", f"rule '{rule}'", 0.0),
        reason=read_reason(r, keys, rule, vocab.FIT_TEMPLATE_FIELDS),
    )


def _category_points(
    r: NodeReader, node: yaml.Node, rule: str
) -> Mapping[CategoryKey, float]:
    points: dict[CategoryKey, float] = {}
    for key_node, value_node in r.free_mapping(node, f"points of '{rule}'", "{vp: 18}"):
        key = category_key(r.scalar(key_node))
        if key is None:
            raise r.error(
                key_node,
                f"rule '{rule}' has points for an empty value",
                "use 'missing: 0' for leads without this attribute",
            )
        value = (
            r.scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else None
        )
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown = value_node.value if value is not None else "a list or mapping"
            raise r.error(
                value_node,
                f"rule '{rule}' has points for '{key_node.value}' as \"{shown}\"",
                f"points must be numbers, e.g. '{key_node.value}: 18'",
            )
        if not math.isfinite(value):
            raise r.error(
                value_node,
                f"rule '{rule}' gives '{key_node.value}' {value_node.value} points",
                f"write an ordinary number, e.g. '{key_node.value}: 18'",
            )
        if key in points:
            raise r.error(
                key_node,
                f"rule '{rule}' gives points to '{key_node.value}' twice (values "
                "match whatever their capitals)",
                "keep one of them",
            )
        points[key] = float(value)
    return MappingProxyType(points)


def read_conversation_rule(r: NodeReader, node: yaml.Node) -> ConversationRule:
    """A conversation rule: points when the chatbot set a signal."""
    example = "'- {id: pricing, signal: asked_pricing, points: 8}'"
    keys = r.mapping(
        node,
        "a conversation rule",
        CONVERSATION_KEYS,
        ("id", "signal", "points"),
        example,
    )
    rule = read_rule_id(r, keys)
    signal = r.text(
        keys["signal"], f"signal of rule '{rule}'", "'signal: asked_pricing'"
    )
    if signal not in vocab.SIGNALS:
        raise r.error(
            keys["signal"],
            f"rule '{rule}' waits for signal '{signal}', which the chatbot never sets",
            suggest(signal, vocab.SIGNALS),
        )
    return ConversationRule(
        id=rule,
        signal=signal,
        points=r.number(keys["points"], f"points of rule '{rule}'", "points: 8"),
        reason=read_reason(r, keys, rule, vocab.CONVERSATION_TEMPLATE_FIELDS),
    )


def read_negative_rule(r: NodeReader, node: yaml.Node) -> NegativeRule:
    """A negative rule: an attribute equal to a value takes points or disqualifies."""
    example = "'- {id: student, field: seniority, equals: student, points: -30}'"
    keys = r.mapping(node, "a negative rule", NEGATIVE_KEYS, ("id", "field"), example)
    rule = read_rule_id(r, keys)
    if ("equals" in keys) == ("in" in keys):
        raise r.error(
            node,
            f"negative rule '{rule}' needs exactly one of 'equals' or 'in'",
            "write 'equals: student' or, for several values, 'in: [student, intern]'",
        )
    if "equals" in keys:
        raw = [keys["equals"]]
    else:
        raw = r.sequence(
            keys["in"], f"'in' of rule '{rule}'", "'in: [student, intern]'"
        )
    values = frozenset(
        k for k in (category_key(r.scalar(n)) for n in raw) if k is not None
    )
    if not values:
        raise r.error(
            node,
            f"negative rule '{rule}' matches no value",
            "give a value, e.g. 'equals: true'",
        )
    disqualify = False
    if "disqualify" in keys:
        what = f"disqualify of rule '{rule}'"
        disqualify = r.boolean(keys["disqualify"], what, "disqualify: true")
    if "points" not in keys and not disqualify:
        raise r.error(
            node,
            f"negative rule '{rule}' neither takes points nor disqualifies",
            "add 'points: -10' or 'disqualify: true'",
        )
    points = r.optional_number(keys, "points", f"rule '{rule}'", 0.0)
    if points > 0:
        raise r.error(
            keys["points"],
            f"negative rule '{rule}' gives +{points:g} points",
            f"a negative rule takes points away: write 'points: -{points:g}', "
            "or move the rule to fit",
        )
    return NegativeRule(
        id=rule,
        field=r.text(keys["field"], f"field of rule '{rule}'", "'field: seniority'"),
        values=values,
        points=points,
        disqualify=disqualify,
        reason=read_reason(r, keys, rule, vocab.NEGATIVE_TEMPLATE_FIELDS),
    )
