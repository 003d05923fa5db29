"""Rules and stories name only intents and actions the domain declares.

An unknown action (``- action: utter_integration`` for ``utter_integrations``)
passes ``rasa data validate`` and stops ``rasa train`` minutes later with
ActionNotFoundException; an unknown intent makes a rule that never matches.
The slot mappings' ``intent:`` / ``not_intent:`` lists (``&about_themselves``,
``&not_an_answer``) are read the same way: a misspelt intent there is ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.designer.domain_file import Domain, child
from bot.designer.names import compose, did_you_mean, section, yaml_files
from bot.designer.problem import Problem
from scoring.yaml_nodes import line_of


@dataclass(frozen=True)
class Step:
    """One ``- intent:`` or ``- action:`` of a rule or story."""

    kind: str
    name: str
    line: int


def conversation_files(root: Path) -> list[Path]:
    """Files whose rules and stories Rasa trains on or tests with."""
    return yaml_files(root / "data") + yaml_files(root / "tests" / "stories")


def steps(node: yaml.Node | None) -> Iterator[Step]:
    """Every intent and action a file's rules and stories name, with its line."""
    for key in ("rules", "stories"):
        for item in section(node, key):
            flow = child(item, "steps")
            for step in flow.value if isinstance(flow, yaml.SequenceNode) else []:
                yield from _step(step)


def _step(step: yaml.Node) -> Iterator[Step]:
    for kind in ("intent", "action"):
        value = child(step, kind)
        if isinstance(value, yaml.ScalarNode) and value.value:
            yield Step(kind, str(value.value), line_of(value))
    alternatives = child(step, "or")
    if isinstance(alternatives, yaml.SequenceNode):
        for alternative in alternatives.value:
            yield from _step(alternative)


def check_conversations(root: Path, domain: Domain, name: str) -> Iterator[Problem]:
    """Unknown intents and actions in rules, stories and the slot mappings.

    `name` is how domain.yml is named in messages.
    """
    intents = domain.known_intents()
    runnable = domain.runnable()
    for path in conversation_files(root):
        where = str(path.relative_to(root))
        for step in steps(compose(path)):
            if step.kind == "intent" and step.name not in intents:
                yield Problem(
                    where, step.line,
                    f"'- intent: {step.name}' is not an intent in domain.yml, so "
                    "this rule or story never matches a message",
                    f"{did_you_mean(step.name, intents)}otherwise add it under "
                    "'intents:' in domain.yml, with examples in data/nlu",
                )  # fmt: skip
            elif step.kind == "action" and step.name not in runnable:
                yield Problem(
                    where, step.line,
                    f"'- action: {step.name}' is neither a response nor an action "
                    "in domain.yml ('make train' fails on it after minutes)",
                    f"{did_you_mean(step.name, runnable)}otherwise add it under "
                    "'responses:' in domain.yml (a custom action needs a developer)",
                )  # fmt: skip
    # An anchored list (&about_themselves) is one node however many slots
    # name it by alias: one problem per list, naming every slot that reads it.
    readers: dict[tuple[int, str, str], list[str]] = {}
    for mapping in domain.mapping_intents:
        if mapping.intent not in intents:
            anchor = (mapping.line, mapping.key, mapping.intent)
            readers.setdefault(anchor, []).append(mapping.slot)
    for (line, key, intent), slots in readers.items():
        yield Problem(
            name, line,
            f"'{intent}' in this {key} list (read by the mappings of "
            f"{_slots(slots)}) is not an intent, so it is ignored",
            f"{did_you_mean(intent, intents)}otherwise remove it from the list",
        )  # fmt: skip


def _slots(slots: list[str]) -> str:
    names = list(dict.fromkeys(slots))
    return ("slot " if len(names) == 1 else "slots ") + ", ".join(names)
