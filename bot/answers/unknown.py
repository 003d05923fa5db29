"""'No idea': an answer that says the visitor doesn't know.

Asking the same question again would only annoy; the caller skips it.
Phrases come from the ``answer_unknown`` table in ``data/lookups/answers.yml``
and count with words around them that add nothing: English function words
("i really don't know") and ``unknown_fillers`` ("no clue honestly",
"not sure tbh"). Any other word, or any number, is an answer of its own for
the question's parser: "about 50, not sure exactly" is 50 people, "not
sure, maybe next year" a timeline; a ``company_size_solo`` or ``budget_none``
phrase is an answer too, though made of function words ("not sure, just
me").
"""

from __future__ import annotations

import functools
import re

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.numbers import words_to_digits
from bot.answers.phrases import Phrases, pipeline

_NOISE = re.compile(r"[^\w\s']+")


@functools.cache
def _phrases(lookups: Lookups) -> Phrases:
    return Phrases(
        {
            "unknown": lookups.terms("answer_unknown"),
            "filler": lookups.terms("unknown_fillers"),
            # Function words that answer a question: "not sure, just me" is
            # one person, "no idea, no budget" no budget.
            "answer": lookups.terms("company_size_solo") + lookups.terms("budget_none"),
        }
    )


def is_unknown(text: str, lookups: Lookups | None = None) -> bool:
    """Whether the answer only says "I don't know", in whatever words."""
    tables = lookups or default_lookups()
    words = " ".join(_NOISE.sub(" ", text.lower().replace("’", "'")).split())
    if words in tables.terms("answer_unknown"):
        return True
    found = _phrases(tables).find(words)
    labels = {phrase.label for phrase in found}
    if "unknown" not in labels or "answer" in labels:
        return False
    rest = list(words)
    for phrase in found:
        rest[phrase.start : phrase.end] = " " * (phrase.end - phrase.start)
    left = "".join(rest)
    if any(char.isdigit() for char in words_to_digits(left)):
        return False  # "no idea, maybe fifty": a number is an answer
    return all(
        token.is_stop or token.is_space or token.is_punct
        for token in pipeline().make_doc(left)
    )
