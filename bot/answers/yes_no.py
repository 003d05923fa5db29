"""Yes or no: "yes I sign off", "not really, my boss does", "yep", "nope".

Phrases come from ``answer_yes`` and ``answer_no`` in
``data/lookups/answers.yml``; the longest phrase wins where they overlap, so
"not really" is a no although it contains "really".
"""

from __future__ import annotations

import functools
import re

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.phrases import Phrases, clean
from bot.errors import InvalidInput

_NOT_UNDERSTOOD = "Sorry, I didn't catch that — is that a yes or a no?"
# "yesss", "noooo", "yeahhh": a letter held down is the same word.
_HELD_LETTER = re.compile(r"([a-z])\1{2,}")


@functools.cache
def _phrases(lookups: Lookups) -> Phrases:
    return Phrases(
        {"yes": lookups.terms("answer_yes"), "no": lookups.terms("answer_no")}
    )


def parse_yes_no(text: str, lookups: Lookups | None = None) -> bool:
    """True for a yes, False for a no.

    An answer with both ("sure, but my boss signs off") is not guessed.

    Raises:
        InvalidInput: neither, or both, a yes and a no.
    """
    said = clean(text).lower()
    said = _HELD_LETTER.sub(r"\1", said)
    labels = {
        found.label for found in _phrases(lookups or default_lookups()).find(said)
    }
    if labels == {"yes"}:
        return True
    if labels == {"no"}:
        return False
    raise InvalidInput(_NOT_UNDERSTOOD)
