"""Typed reading of composed YAML nodes, with errors that name the line.

PyYAML's ``safe_load`` forgets where each value came from and silently keeps
the last of two duplicate keys. Reading the composed node tree instead keeps
every value's line, so each check can say exactly where to look and what to
write instead.
"""

from __future__ import annotations

import difflib
import math
import string
from collections.abc import Collection, Mapping

import yaml

from scoring.errors import ScoringConfigError
from scoring.model import AttributeValue

_TAG = "tag:yaml.org,2002:"
_BOOL_WORDS = frozenset({"true", "false"})


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def closest(word: str, options: Collection[str]) -> str | None:
    """The option a misspelt `word` most likely meant, if any is close."""
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(word: str, options: Collection[str]) -> str:
    """A "did you mean" hint for a misspelt name, or a list of the options."""
    close = closest(word, options)
    if close is not None:
        return f"did you mean '{close}'?"
    return "use one of: " + ", ".join(sorted(options))


class NodeReader:
    """Reads values out of a composed YAML document for one source file."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(
        self, node: yaml.Node | None, problem: str, fix: str
    ) -> ScoringConfigError:
        """An error pointing at `node` (or at the file when there is none)."""
        return ScoringConfigError(
            self.source, None if node is None else line_of(node), problem, fix
        )

    def mapping(
        self,
        node: yaml.Node,
        what: str,
        allowed: Collection[str],
        required: Collection[str] = (),
        example: str = "",
    ) -> dict[str, yaml.Node]:
        """Read a mapping with known keys: no unknown, duplicate or missing key."""
        if not isinstance(node, yaml.MappingNode):
            fix = (
                f"write it as 'key: value' lines, e.g. {example}"
                if example
                else ("write it as indented 'key: value' lines")
            )
            raise self.error(node, f"{what} must be a mapping of keys to values", fix)
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if not isinstance(key_node, yaml.ScalarNode) or key not in allowed:
                raise self.error(
                    key_node, f"unknown key '{key}' in {what}", suggest(key, allowed)
                )
            if key in result:
                raise self.error(
                    key_node,
                    f"key '{key}' appears twice in {what}",
                    f"keep one '{key}' (the first is on line {line_of(result[key])})",
                )
            result[key] = value_node
        for key in required:
            if key not in result:
                raise self.error(
                    node,
                    f"{what} has no '{key}'",
                    f"add '{key}:' to it, e.g. {example}",
                )
        return result

    def free_mapping(
        self, node: yaml.Node, what: str, example: str
    ) -> list[tuple[yaml.Node, yaml.Node]]:
        """Read a mapping whose keys are data (category values, properties)."""
        if not isinstance(node, yaml.MappingNode) or not node.value:
            raise self.error(
                node, f"{what} must be a non-empty mapping", f"e.g. {example}"
            )
        seen: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            key = f"{key_node.tag}:{key_node.value}"
            if key in seen:
                raise self.error(
                    key_node,
                    f"'{key_node.value}' appears twice in {what}",
                    f"keep one (the first is on line {line_of(seen[key])})",
                )
            seen[key] = key_node
        return list(node.value)

    def sequence(self, node: yaml.Node, what: str, example: str) -> list[yaml.Node]:
        """Read a list, e.g. of rules or bands."""
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(
                node,
                f"{what} must be a list",
                f"start each item with '- ', e.g. {example}",
            )
        return list(node.value)

    def scalar(self, node: yaml.Node) -> AttributeValue:
        """The Python value of a scalar node, with YAML 1.1's 'NO'/'yes' kept as text.

        YAML 1.1 reads ``NO`` (Norway), ``yes`` and ``off`` as booleans; as data
        keys those are almost always meant literally, so only ``true`` and
        ``false`` are booleans here.
        """
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(
                node,
                "expected a single value, found a list or mapping",
                "write one value",
            )
        if node.tag == _TAG + "bool" and str(node.value).lower() not in _BOOL_WORDS:
            return str(node.value)
        if node.tag == _TAG + "null":
            return None
        value = yaml.SafeLoader("").construct_object(node)
        if isinstance(value, str | int | float | bool):
            return value
        return str(node.value)

    def number(self, node: yaml.Node, what: str, example: str) -> float:
        """A number (int or float), never a boolean or text."""
        value = self.scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown = (
                node.value if isinstance(node, yaml.ScalarNode) else "a list or mapping"
            )
            raise self.error(
                node, f'{what} is "{shown}"', f"it must be a number, e.g. '{example}'"
            )
        if not math.isfinite(value):
            raise self.error(
                node,
                f"{what} is {node.value}, which is no amount of points or days",
                f"write an ordinary number, e.g. '{example}'",
            )
        return float(value)

    def optional_number(
        self, keys: dict[str, yaml.Node], name: str, owner: str, default: float
    ) -> float:
        """The number under `name` in `keys`, or `default` when it is absent."""
        if name not in keys:
            return default
        return self.number(keys[name], f"{name} of {owner}", f"{name}: {default:g}")

    def positive(self, node: yaml.Node, what: str, example: str) -> float:
        """A number above zero (caps, half-lives, windows)."""
        value = self.number(node, what, example)
        if value <= 0:
            raise self.error(
                node,
                f"{what} is {node.value}",
                f"it must be above zero, e.g. '{example}'",
            )
        return value

    def integer(self, node: yaml.Node, what: str, example: str) -> int:
        """A whole number of zero or more."""
        value = self.number(node, what, example)
        if value < 0 or value != int(value):
            raise self.error(
                node,
                f"{what} is {node.value}",
                f"it must be a whole number, e.g. '{example}'",
            )
        return int(value)

    def text(self, node: yaml.Node, what: str, example: str) -> str:
        """Non-empty text; a number or boolean here is a mistake."""
        value = self.scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            shown = (
                node.value if isinstance(node, yaml.ScalarNode) else "a list or mapping"
            )
            raise self.error(
                node, f'{what} is "{shown}"', f"it must be text, e.g. {example}"
            )
        return value.strip()

    def boolean(self, node: yaml.Node, what: str, example: str) -> bool:
        """True or false."""
        value = self.scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            shown = (
                node.value if isinstance(node, yaml.ScalarNode) else "a list or mapping"
            )
            raise self.error(
                node, f'{what} is "{shown}"', f"write true or false, e.g. '{example}'"
            )
        return value

    def template(self, node: yaml.Node, what: str, fields: Mapping[str, object]) -> str:
        """A reason sentence; every {placeholder} must be one the rule fills in."""
        text = self.text(node, what, '"{value}: senior buyer"')
        try:
            names = [
                name
                for _, name, _, _ in string.Formatter().parse(text)
                if name is not None
            ]
        except ValueError as exc:
            raise self.error(
                node,
                f"{what} has a stray brace ({exc})",
                "write {{ or }} for a literal brace",
            ) from exc
        for name in names:
            if name not in fields:
                allowed = ", ".join("{" + f + "}" for f in sorted(fields))
                raise self.error(
                    node,
                    f"{what} uses {{{name}}}, which this rule does not fill in",
                    f"use only {allowed}",
                )
        try:
            text.format(**fields)
        except (ValueError, TypeError) as exc:
            raise self.error(
                node, f"{what} cannot be filled in ({exc})", "write e.g. {points:.0f}"
            ) from exc
        return text
