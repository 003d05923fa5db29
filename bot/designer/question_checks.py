"""Every question scoring.yml lists can become a lead field.

The actions turn an answer into the lead's fields with the slot's reader in
:data:`bot.qualification.normalize.NORMALIZERS`; a question without one is
refused at run time ("is not a question of the qualification form"), so
listing it before a developer adds its reader breaks the conversation. The
``informs:`` fields must be fields an answer or the scorer fills, or the
question's swing is computed from nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path

import yaml

from bot.designer.domain_file import child
from bot.designer.names import compose, did_you_mean
from bot.designer.problem import Problem
from bot.qualification.normalize import NORMALIZERS
from scoring.yaml_nodes import line_of

READERS = "bot/qualification/normalize.py"


def question_lines(path: Path) -> tuple[dict[str, int], list[tuple[str, str, int]]]:
    """Each question's line, and each ``informs:`` (question, field, line)."""
    questions = child(compose(path), "questions")
    lines: dict[str, int] = {}
    informed: list[tuple[str, str, int]] = []
    for key in ("first", "ask", "contact"):
        items = child(questions, key)
        for item in items.value if isinstance(items, yaml.SequenceNode) else []:
            if isinstance(item, yaml.ScalarNode):
                lines.setdefault(str(item.value), line_of(item))
    informs = child(questions, "informs")
    for key, fields in informs.value if isinstance(informs, yaml.MappingNode) else []:
        lines.setdefault(str(key.value), line_of(key))
        for item in fields.value if isinstance(fields, yaml.SequenceNode) else []:
            if isinstance(item, yaml.ScalarNode):
                informed.append((str(key.value), str(item.value), line_of(item)))
    return lines, informed


def check_questions(
    path: Path, name: str, questions: Collection[str], fields: Collection[str]
) -> Iterator[Problem]:
    """Questions with no answer reader, and ``informs:`` fields nothing fills.

    `questions` are those the rules loaded; `fields` every field a slot, an
    action or the scorer fills. `name` is how scoring.yml is named in messages.
    """
    lines, informed = question_lines(path)
    for question in questions:
        if question not in NORMALIZERS:
            yield Problem(
                name, lines.get(question),
                f"question '{question}' has no answer reader in {READERS}, so "
                "the bot cannot store its answer",
                "a developer must add one before it can be asked; until then "
                "remove it from questions",
            )  # fmt: skip
    for question, field, line in informed:
        if field not in fields:
            yield Problem(
                name, line,
                f"questions informs says '{question}' fills '{field}', which no "
                "slot, action or scoring step fills",
                f"{did_you_mean(field, fields)}otherwise remove it",
            )  # fmt: skip
