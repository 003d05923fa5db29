"""Every ``{placeholder}`` in a response text is a slot or an action's value.

Rasa fills ``{name}`` from the slot of that name, or from a value an action
passes with the response (``dispatcher.utter_message(response=...,
company=...)``); for any other name it leaves the text as it is, and the
visitor reads "Hi {first_name}".
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from bot.designer.domain_file import Domain
from bot.designer.names import did_you_mean
from bot.designer.problem import Problem

#: What Rasa 3.6's interpolator treats as a placeholder (rasa/core/nlg/interpolator).
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


#: utter_message's own arguments, which are no placeholder values.
_MESSAGE_ARGUMENTS = frozenset(
    {"text", "image", "json_message", "template", "response", "attachment",
     "buttons", "elements"}
)  # fmt: skip


def action_values(actions: Path) -> frozenset[str]:
    """Names the actions pass to responses: keywords of ``utter_message`` calls."""
    names: set[str] = set()
    for path in sorted(actions.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "utter_message"
            ):
                names.update(k.arg for k in node.keywords if k.arg is not None)
    return frozenset(names - _MESSAGE_ARGUMENTS)


def check_placeholders(
    domain: Domain, name: str, passed: frozenset[str] = frozenset()
) -> Iterator[Problem]:
    """Placeholders in response texts that name no slot and no value `passed`.

    `name` is how domain.yml is named in messages.
    """
    for text in domain.texts:
        for placeholder in PLACEHOLDER.findall(text.text):
            if placeholder in domain.slots or placeholder in passed:
                continue
            yield Problem(
                name, text.line,
                f"response '{text.response}' says {{{placeholder}}}, which is not "
                f"a slot, so visitors would see '{{{placeholder}}}' as written",
                f"{did_you_mean(placeholder, domain.slots)}a placeholder must be "
                "a slot name from 'slots:' in domain.yml, or a value an action "
                "passes with the response",
            )  # fmt: skip
