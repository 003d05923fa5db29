"""The names ``domain.yml`` declares, each with the line it is declared on.

Read from the composed node tree (not ``safe_load``), so every check can name
the line to fix. Aliases (``*not_an_answer``) are expanded by the composer to
the anchored node, whose line is where the list is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import ConfigError
from scoring.yaml_nodes import line_of

#: Rasa's default actions: a rule or story may name them without declaring them.
RASA_ACTIONS = frozenset(
    {
        "action_listen",
        "action_restart",
        "action_session_start",
        "action_default_fallback",
        "action_deactivate_loop",
        "action_revert_fallback_events",
        "action_default_ask_affirmation",
        "action_default_ask_rephrase",
        "action_two_stage_fallback",
        "action_unlikely_intent",
        "action_back",
        "action_extract_slots",
    }
)
#: Rasa's default intents: Rasa adds them to every domain.
RASA_INTENTS = frozenset(
    {"nlu_fallback", "restart", "back", "out_of_scope", "session_start"}
)


@dataclass(frozen=True)
class Text:
    """One response variant's ``text:``."""

    response: str
    line: int
    text: str


@dataclass(frozen=True)
class MappingIntent:
    """An intent named by a slot mapping's ``intent:`` or ``not_intent:``."""

    slot: str
    key: str
    intent: str
    line: int


@dataclass
class Domain:
    """Every name declared in ``domain.yml``, mapped to its line."""

    intents: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    slots: dict[str, int] = field(default_factory=dict)
    forms: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)
    responses: dict[str, int] = field(default_factory=dict)
    texts: list[Text] = field(default_factory=list)
    mapping_intents: list[MappingIntent] = field(default_factory=list)

    def runnable(self) -> set[str]:
        """What a rule or story may name in ``- action:``."""
        return {*self.responses, *self.actions, *self.forms, *RASA_ACTIONS}

    def known_intents(self) -> set[str]:
        """What a rule or story may name in ``- intent:``."""
        return {*self.intents, *RASA_INTENTS}


def read_domain(path: Path) -> Domain:
    """Read the declared names; a file that is not YAML is a :class:`ConfigError`."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    domain = Domain()
    if not isinstance(root, yaml.MappingNode):
        return domain
    for key, value in root.value:
        section = str(key.value)
        if section in ("intents", "entities", "actions"):
            getattr(domain, section).update(_names(value))
        elif section in ("slots", "forms", "responses"):
            getattr(domain, section).update(_keys(value))
    for key, value in root.value:
        if key.value == "responses":
            domain.texts = list(_texts(value))
        elif key.value == "slots":
            domain.mapping_intents = list(_mapping_intents(value))
    return domain


def child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value under `key` in a mapping node, or None."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                found: yaml.Node = value_node
                return found
    return None


def _names(node: yaml.Node) -> Iterator[tuple[str, int]]:
    """A list of names, each a plain item or a one-key mapping with options."""
    if not isinstance(node, yaml.SequenceNode):
        return
    for item in node.value:
        if isinstance(item, yaml.ScalarNode):
            yield str(item.value), line_of(item)
        elif isinstance(item, yaml.MappingNode):
            for key_node, _ in item.value:
                yield str(key_node.value), line_of(key_node)


def _keys(node: yaml.Node) -> Iterator[tuple[str, int]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            yield str(key_node.value), line_of(key_node)


def _texts(node: yaml.Node) -> Iterator[Text]:
    if not isinstance(node, yaml.MappingNode):
        return
    for name, variants in node.value:
        if not isinstance(variants, yaml.SequenceNode):
            continue
        for variant in variants.value:
            text = child(variant, "text")
            if isinstance(text, yaml.ScalarNode):
                yield Text(str(name.value), line_of(text), str(text.value))


def _mapping_intents(node: yaml.Node) -> Iterator[MappingIntent]:
    if not isinstance(node, yaml.MappingNode):
        return
    for slot, spec in node.value:
        mappings = child(spec, "mappings")
        if not isinstance(mappings, yaml.SequenceNode):
            continue
        for mapping in mappings.value:
            for key in ("intent", "not_intent"):
                value = child(mapping, key)
                items = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for item in items:
                    if isinstance(item, yaml.ScalarNode):
                        yield MappingIntent(
                            str(slot.value), key, str(item.value), line_of(item)
                        )
