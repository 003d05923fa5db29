"""NLU examples agree with the domain, and no example teaches two intents.

``rasa data validate`` only warns about these, among some fifty warnings
designers learn to skip: an intent without examples (the classifier never
predicts it), examples under an intent the domain lacks (dropped), an entity
the domain lacks (never extracted), and one message taught as two intents
(the classifier guesses).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.designer.domain_file import RASA_INTENTS, Domain, child
from bot.designer.names import compose, did_you_mean, section, yaml_files
from bot.designer.problem import Problem
from scoring.yaml_nodes import line_of

#: Rasa 3.6's entity annotation (rasa/shared/nlu/training_data/entities_parser):
#: ``[text](entity)``, ``[text](entity:value)``, ``[text]{"entity": ...}`` and
#: ``[text][{...}, {...}]``.
ENTITY = re.compile(
    r"\[(?P<text>[^\]]+?)\]"
    r"(\((?P<entity>[^:)]+?)(?::[^)]+)?\)|\{(?P<dict>[^}]+?)\}|\[(?P<list>.*?)\])"
)


@dataclass(frozen=True)
class Example:
    """One NLU example, where it is written and what it is annotated with."""

    intent: str
    text: str
    file: str
    line: int
    entities: tuple[str, ...]

    @property
    def key(self) -> str:
        """The text without annotations, lower case, single spaces."""
        return " ".join(self.text.lower().split())


def _entities(match: re.Match[str]) -> list[str]:
    if match["entity"]:
        return [match["entity"].strip()]
    raw = "{" + match["dict"] + "}" if match["dict"] else "[" + match["list"] + "]"
    try:
        parsed = json.loads(raw)
    except ValueError:
        return []  # rasa data validate names a broken annotation
    items = parsed if isinstance(parsed, list) else [parsed]
    return [str(i["entity"]) for i in items if isinstance(i, dict) and "entity" in i]


def _lines(node: yaml.Node) -> Iterator[tuple[int, str]]:
    """(line, text) of each example under ``examples:``."""
    if isinstance(node, yaml.ScalarNode):
        # A block scalar ('|') starts on the line after its indicator.
        first = line_of(node) + (1 if node.style in ("|", ">") else 0)
        for offset, raw in enumerate(str(node.value).splitlines()):
            line = raw.strip()
            if line.startswith("- "):
                yield first + offset, line[2:].strip()
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            text = child(item, "text")
            if isinstance(text, yaml.ScalarNode):
                yield line_of(text), str(text.value).strip().removeprefix("- ")


def read_examples(root: Path) -> tuple[list[Example], dict[str, tuple[str, int]]]:
    """Every intent example under data/, and where each intent's block starts."""
    examples: list[Example] = []
    blocks: dict[str, tuple[str, int]] = {}
    for path in yaml_files(root / "data"):
        where = str(path.relative_to(root))
        for item in section(compose(path), "nlu"):
            intent = child(item, "intent")
            texts = child(item, "examples")
            if not isinstance(intent, yaml.ScalarNode) or texts is None:
                continue
            name = str(intent.value)
            blocks.setdefault(name, (where, line_of(intent)))
            for line, raw in _lines(texts):
                found = [e for m in ENTITY.finditer(raw) for e in _entities(m)]
                text = ENTITY.sub(lambda m: m["text"], raw)
                examples.append(Example(name, text, where, line, tuple(found)))
    return examples, blocks


def check_nlu(root: Path, domain: Domain, name: str) -> Iterator[Problem]:
    """Intents and entities against the domain, and examples under two intents.

    `name` is how domain.yml is named in messages.
    """
    examples, blocks = read_examples(root)
    for intent, line in domain.intents.items():
        if intent not in blocks and intent not in RASA_INTENTS:
            yield Problem(
                name, line, f"intent '{intent}' has no examples in data/nlu",
                f"add 25 or more under '- intent: {intent}' in data/nlu, "
                "or remove the intent",
            )  # fmt: skip
    for intent, (where, line) in blocks.items():
        if intent not in domain.intents and intent not in RASA_INTENTS:
            yield Problem(
                where, line,
                f"intent '{intent}' has examples but is not in domain.yml, so "
                "training drops them",
                f"{did_you_mean(intent, domain.intents)}otherwise add it under "
                "'intents:' in domain.yml",
            )  # fmt: skip
    yield from _undeclared_entities(examples, domain)
    yield from _repeated(examples)


def _undeclared_entities(examples: list[Example], domain: Domain) -> Iterator[Problem]:
    uses: dict[str, list[Example]] = {}
    for example in examples:
        for entity in example.entities:
            if entity not in domain.entities:
                uses.setdefault(entity, []).append(example)
    for entity, where in uses.items():
        more = f" (and {len(where) - 1} more examples)" if len(where) > 1 else ""
        yield Problem(
            where[0].file, where[0].line,
            f"entity '{entity}' is annotated here{more} but is not in domain.yml, "
            "so it is never extracted",
            f"{did_you_mean(entity, domain.entities)}otherwise add it under "
            "'entities:' in domain.yml",
        )  # fmt: skip


def _repeated(examples: list[Example]) -> Iterator[Problem]:
    first: dict[str, Example] = {}
    reported: set[tuple[str, str, str]] = set()
    for example in examples:
        earlier = first.setdefault(example.key, example)
        pair = (example.key, earlier.intent, example.intent)
        if earlier.intent == example.intent or pair in reported:
            continue
        reported.add(pair)
        yield Problem(
            example.file, example.line,
            f"example '{example.text}' is under intent '{example.intent}' here "
            f"and under '{earlier.intent}' at {earlier.file} line {earlier.line}",
            "keep it under the one intent it means, and delete the other",
        )  # fmt: skip
