"""Helpers shared by the designer checks: "did you mean", files, YAML trees."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path

import yaml

from scoring.yaml_nodes import closest


def did_you_mean(word: str, options: Collection[str]) -> str:
    """ "did you mean 'x'? " for the closest option, or "" when none is close."""
    close = closest(word, options)
    return "" if close is None else f"did you mean '{close}'? "


def yaml_files(folder: Path) -> list[Path]:
    """Every ``*.yml`` / ``*.yaml`` file under `folder`, in a stable order."""
    if not folder.is_dir():
        return []
    return sorted([*folder.rglob("*.yml"), *folder.rglob("*.yaml")])


def compose(path: Path) -> yaml.Node | None:
    """The file's node tree; None when it is not YAML.

    ``rasa data validate`` runs first in ``make validate`` and names a file
    that is not YAML, so the checks here skip it rather than say it twice.
    """
    try:
        node: yaml.Node | None = yaml.compose(
            path.read_text(encoding="utf-8"), yaml.SafeLoader
        )
    except yaml.YAMLError:
        return None
    return node


def section(root: yaml.Node | None, key: str) -> Iterator[yaml.Node]:
    """The items of the top-level list `key` (``rules:``, ``nlu:``, ...)."""
    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value in root.value:
        if key_node.value == key and isinstance(value, yaml.SequenceNode):
            yield from value.value
