"""Every ``{placeholder}`` in a response text is a slot.

Rasa fills ``{name}`` from the slot of that name; for any other name it
leaves the text as it is, and the visitor reads "Hi {first_name}".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.designer.domain_file import Domain
from bot.designer.names import did_you_mean
from bot.designer.problem import Problem

#: What Rasa 3.6's interpolator treats as a placeholder (rasa/core/nlg/interpolator).
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


def check_placeholders(domain: Domain, name: str) -> Iterator[Problem]:
    """Placeholders in response texts that name no slot.

    `name` is how domain.yml is named in messages.
    """
    for text in domain.texts:
        for placeholder in PLACEHOLDER.findall(text.text):
            if placeholder in domain.slots:
                continue
            yield Problem(
                name, text.line,
                f"response '{text.response}' says {{{placeholder}}}, which is not "
                f"a slot, so visitors would see '{{{placeholder}}}' as written",
                f"{did_you_mean(placeholder, domain.slots)}a placeholder must be "
                "a slot name from 'slots:' in domain.yml",
            )  # fmt: skip
