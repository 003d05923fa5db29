"""Names and company names, as visitors type them.

Free text stays free text, but a lead-in ("my name is", "I work at") is not
part of the name: the longest lead-in from ``data/lookups/names.yml`` is cut
from the start, with trailing punctuation. What remains is kept as typed
(accents and capitals are the visitor's own).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.yes_no import parse_yes_no
from bot.errors import InvalidInput

MAX_LENGTH = 200
TRAILING = re.compile(r"[\s.!,;:]+$")
#: Marks after the last word or closing bracket: "!!", " :-)", "..."
TRAILING_MARKS = re.compile(r"[^\w)]+$")
#: Symbols no person's name holds (digits and currency signs neither).
NAME_SYMBOLS = frozenset("@#%&*=+<>\\|")
#: Words in the longest name we take ("María de los Ángeles Ruiz García").
MAX_NAME_WORDS = 8
#: A company named in reply to the bot's guess is at most this long.
MAX_COMPANY_WORDS = 6
#: First words of a reply that goes on about the guess, not a company name.
NOT_A_COMPANY = frozenset(
    {"not", "no", "nothing", "none", "that", "this", "you", "wrong", "incorrect"}
)


def clean_name(text: str, lookups: Lookups | None = None) -> str:
    """A person's name from an answer such as "my name is Sam Carter".

    Raises:
        InvalidInput: nothing is left, or it holds what no name holds (a
            digit, an "@", a currency sign) or runs past
            :data:`MAX_NAME_WORDS` words: "about $50k a year" answers
            another question.
    """
    name = _strip(text, (lookups or default_lookups()).terms("name_lead_ins"), "name")
    if len(name.split()) > MAX_NAME_WORDS or any(map(_not_in_a_name, name)):
        raise InvalidInput("Sorry, I meant your name — what should we call you?")
    return name


def clean_company(text: str, lookups: Lookups | None = None) -> str:
    """A company name from an answer such as "I work at Globex Corp."."""
    terms = (lookups or default_lookups()).terms("company_lead_ins")
    return _strip(text, terms, "company")


def _not_in_a_name(char: str) -> bool:
    return (
        char.isdigit()
        or char in NAME_SYMBOLS
        or unicodedata.category(char) == "Sc"  # a currency sign
    )


def company_in_reply_to_guess(
    text: str, lookups: Lookups | None = None, tagged: Sequence[str] = ()
) -> str | None:
    """The company a visitor names in reply to the bot's guess of it, or None.

    After "From your email I take it you're with Meridianhp; if not, just
    tell me the right name", "no, it's Meridian Health Partners", "we're
    Meridian Health Partners actually" and "Nope - Meridian Health Partners"
    name one. The reply must turn the guess down (``company_guess_denials``)
    or lead in to a company (``company_lead_ins``); after a bare denial the
    name must have a capital letter, so "no thanks" and "nope, not
    interested" name none. A yes or a no ("that's right", "it's fine") is
    an answer to the question asked with the guess, not a company.
    ``tagged``: what the NLU read as company names in the message; a reply
    that is one of them ("meridian health partners", bare or after "no")
    names it too.
    """
    tables = lookups or default_lookups()
    value = " ".join(text.split())
    denied = led_in = False
    for _ in range(3):  # "no, actually it's actually ..."
        value, denial = _cut_lead_in(value, tables.terms("company_guess_denials"))
        value, lead_in = _cut_lead_in(value, tables.terms("company_lead_ins"))
        denied, led_in = denied or denial, led_in or lead_in
        if not (denial or lead_in):
            break
    value, _ = _cut_trailing(value, tables.terms("correction_trailing_words"))
    value = _without_trailing_marks(value)
    words = value.split()
    named = value.lower() in {" ".join(t.split()).lower() for t in tagged}
    if not (denied or led_in or named) or not words or len(words) > MAX_COMPANY_WORDS:
        return None
    if "@" in value or (not led_in and not named and value.islower()):
        return None
    if words[0].lower() in NOT_A_COMPANY or _reads_as_yes_or_no(value, tables):
        return None
    return value[:MAX_LENGTH]


def _reads_as_yes_or_no(text: str, lookups: Lookups) -> bool:
    try:
        parse_yes_no(text, lookups)
    except InvalidInput:
        return False
    return True


def _without_trailing_marks(value: str) -> str:
    """ "Pixel & Pine :)" without the smiley; "Acme (UK)" keeps its bracket."""
    kept = TRAILING_MARKS.sub("", value)
    if kept.endswith(")") and "(" not in kept:
        kept = TRAILING_MARKS.sub("", kept[:-1])
    return kept


def _cut_lead_in(text: str, lead_ins: tuple[str, ...]) -> tuple[str, bool]:
    """``text`` without the longest of ``lead_ins`` it starts with (whole words)."""
    lowered = text.lower()
    for lead_in in sorted(lead_ins, key=len, reverse=True):
        if lowered == lead_in or re.match(re.escape(lead_in) + r"\b", lowered):
            return text[len(lead_in) :].lstrip(" ,.:;!-–—"), True
    return text, False


def _cut_trailing(text: str, trailing: tuple[str, ...]) -> tuple[str, bool]:
    """``text`` without trailing filler words ("actually", "thanks") and marks."""
    value = TRAILING.sub("", text)
    cut = False
    while True:
        lowered = value.lower()
        word = next(
            (
                w
                for w in trailing
                if lowered == w or lowered.endswith((" " + w, "," + w))
            ),
            None,
        )
        if word is None:
            return value, cut
        value = TRAILING.sub("", value[: len(value) - len(word)])
        cut = True


def _strip(text: str, lead_ins: tuple[str, ...], what: str) -> str:
    value = " ".join(text.split())
    lowered = value.lower()
    for lead_in in sorted(lead_ins, key=len, reverse=True):
        if (
            lowered == lead_in
            or lowered.startswith(lead_in + " ")
            or (lead_in.endswith(",") and lowered.startswith(lead_in))
        ):
            value = value[len(lead_in) :].lstrip(" ,")
            break
    value = TRAILING.sub("", value)
    if not any(ch.isalnum() for ch in value):
        raise InvalidInput(f"I didn't catch the {what}. Could you type it again?")
    return value[:MAX_LENGTH]
