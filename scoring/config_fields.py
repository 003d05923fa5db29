"""Checking that rules read the lead attributes the product fills.

`parse_rules` takes any attribute name, because a fitted scorecard reads the
columns of a CSV export. Rules the chatbot scores with must read the lead's
own attributes, with the values they take: a typo (`field: seniorty`,
`equals: studnet`, `points: {yes: 8}` on a true/false answer) would load and
quietly score every lead wrong. `check_attributes` walks the composed YAML
once more and names the line of the first field or value nothing ever sets.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import yaml

from scoring.rules import category_key
from scoring.yaml_nodes import NodeReader, suggest

#: An attribute's possible values (normalised as rules match them), or None
#: for free text and numbers.
Catalogue = Mapping[str, frozenset[str] | None]


def check_attributes(text: str, source: str, catalogue: Catalogue) -> None:
    """Raise `ScoringConfigError` at the first unknown field or value.

    Call it on text `parse_rules` has accepted: the shapes are known good.
    """
    r = NodeReader(source)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for section, rule in _rules(root):
        keys = {k.value: v for k, v in rule.value}
        field_node = keys["field"]
        field = str(field_node.value)
        if field not in catalogue:
            raise r.error(
                field_node,
                f"{section} rule '{keys['id'].value}' reads '{field}', which "
                "no lead has",
                suggest(field, catalogue),
            )
        values = catalogue[field]
        if values is None:
            continue
        for node in _value_nodes(section, keys):
            value = category_key(r.scalar(node))
            if value is not None and value not in values:
                problem, fix = _value_problem(field, str(node.value), values)
                rule_id = keys["id"].value
                raise r.error(node, f"{section} rule '{rule_id}': {problem}", fix)


def _rules(root: yaml.Node | None) -> Iterator[tuple[str, yaml.MappingNode]]:
    if not isinstance(root, yaml.MappingNode):
        return
    for key, section in root.value:
        if key.value not in ("fit", "negative") or not isinstance(
            section, yaml.MappingNode
        ):
            continue
        for inner_key, rules in section.value:
            if inner_key.value == "rules" and isinstance(rules, yaml.SequenceNode):
                for rule in rules.value:
                    if isinstance(rule, yaml.MappingNode):
                        yield key.value, rule


def _value_nodes(section: str, keys: Mapping[str, yaml.Node]) -> Iterator[yaml.Node]:
    """The nodes of the values a rule matches: fit points' keys, negative values."""
    if section == "fit" and isinstance(keys.get("points"), yaml.MappingNode):
        yield from (k for k, _ in keys["points"].value)
    elif "equals" in keys:
        yield keys["equals"]
    elif isinstance(keys.get("in"), yaml.SequenceNode):
        yield from keys["in"].value


def _value_problem(field: str, value: str, values: frozenset[str]) -> tuple[str, str]:
    if values == {"true", "false"}:
        return (
            f"'{field}' is true or false, never '{value}'",
            "write 'true' for yes and 'false' for no",
        )
    return (f"no lead's {field} is '{value}'", suggest(value, values))
