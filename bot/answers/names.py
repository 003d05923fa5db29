"""Names and company names, as visitors type them.

Free text stays free text, but a lead-in ("my name is", "I work at") is not
part of the name: the longest lead-in from ``data/lookups/names.yml`` is cut
from the start, with trailing punctuation. What remains is kept as typed
(accents and capitals are the visitor's own), if it reads as a name: a late
"yes i sign off" or a "whatever it costs" holds a yes, a filler or an English
function word, which names do not, and "smallish, like 15" a word of the
``not_name_words`` table.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from markupsafe import Markup

from bot.answers.job_title import parse_job_title
from bot.answers.lookups import Lookups, default_lookups
from bot.answers.phrases import clean
from bot.answers.yes_no import parse_yes_no
from bot.errors import InvalidInput

MAX_LENGTH = 200
TRAILING = re.compile(r"[\s.!,;:]+$")
#: Marks after the last word or closing bracket: "!!", " :-)", "..."
TRAILING_MARKS = re.compile(r"[^\w)]+$")
#: Symbols no person's name holds (digits and currency signs neither).
NAME_SYMBOLS = frozenset("@#%&*=+<>\\|?")
#: Where a name ends and the rest of a message goes on: "Dana Lee, VP ...".
CLAUSE_BREAK = re.compile(r"\s*[,;|]\s*|\s+[-–—]\s+")
#: Words of a name given before other answers: "Dana Lee, dana@acme.io".
MAX_FIRST_CLAUSE_WORDS = 4
#: First words of a reply that is no name: "wait, ...", "thanks", "hmm ok".
NOT_A_NAME = frozenset(
    {"wait", "hmm", "hm", "um", "uh", "erm", "anonymous", "sorry", "oops", "hey"}
    | {"thanks", "thx", "cool", "great"}
)
#: Words before a name that are no part of it: "Hi, my name is Dana",
#: "Sure - Dana Lee", "Yes, it's Dana", "Good morning! I'm Dana". Only
#: English ones: "Sim" (yes in Portuguese) is a surname too.
PREAMBLE = NOT_A_NAME | frozenset(
    {"hi", "hello", "hiya", "howdy", "yo", "greetings", "good", "morning"}
    | {"afternoon", "evening", "yes", "yeah", "yep", "yup", "sure", "ok", "okay"}
    | {"no", "nope", "nah", "fine", "alright", "well", "oh", "ah"}
)
#: What stands around a preamble word: "Hi," "Sure -" "Thanks!".
PREAMBLE_MARKS = ",;:!.-–—"
#: Words after a name that go on about the visitor: "Dana Lee from Acme".
AFTER_A_NAME = frozenset({"from", "at", "with"})
#: English stop words that are names or parts of names too: "Nguyen Van An",
#: "Jun He", "Will", "May", "Per", "Jan ten Brink", "Maria do Carmo".
NAMES_IN_STOP_WORDS = frozenset(
    {"an", "do", "he", "may", "per", "so", "ten", "will", "go", "else"}
)
#: An aside in brackets after a name: "Dana Lee (she/her)".
ASIDE = re.compile(r"\([^()]*\)")
#: Words in the longest name we take ("María de los Ángeles Ruiz García").
MAX_NAME_WORDS = 8
#: Lower-case words inside a company's name: "Bank of Ireland", "Pixel & Pine".
NAME_JOINERS = frozenset({"&", "and", "of", "the", "for", "de", "da", "von", "van"})
#: A company named in reply to the bot's guess is at most this long.
MAX_COMPANY_WORDS = 6
#: First words of a reply that goes on about the guess, not a company name.
NOT_A_COMPANY = frozenset(
    {"not", "no", "nothing", "none", "that", "this", "you", "wrong", "incorrect"}
    | {"i", "i'm", "im", "i'd", "i'll", "we", "we're", "we'd", "my", "our", "me"}
    | {"a", "an", "the", "about", "around", "roughly", "in", "based", "looking"}
    | {"just", "maybe", "still", "only", "also", "here", "there", "fine", "ok"}
    | {"okay", "good", "great", "sure", "thanks", "please", "how", "what", "why"}
)


def clean_name(text: str, lookups: Lookups | None = None) -> str:
    """A person's name from an answer such as "my name is Sam Carter".

    "Dana Lee from Acme Robotics" and "Dana here" give "Dana Lee" and "Dana";
    "Dana Lee, dana@acme.io" gives the name before the other answers.

    Raises:
        InvalidInput: nothing is left, or it holds what no name holds (a
            digit, an "@", a currency sign), runs past
            :data:`MAX_NAME_WORDS` words ("about $50k a year" answers another
            question), or does not read as a name: "yes i sign off" answers
            the question before, "whatever it costs" another one.
    """
    tables = lookups or default_lookups()
    name = _strip(_after_preamble(text), tables.terms("name_lead_ins"), "name")
    if _reads_as_a_name(name, tables):
        return name
    # "Dana Lee, dana@acme.io", "Dana Lee - VP Marketing at Acme", "Dana Lee
    # from Acme Robotics": the name comes first, the rest answers other
    # questions.
    first = _name_part(CLAUSE_BREAK.split(name, maxsplit=1)[0].strip())
    if 0 < len(first.split()) <= MAX_FIRST_CLAUSE_WORDS and _reads_as_a_name(
        first, tables
    ):
        return first
    raise InvalidInput("Sorry, I meant your name — what should we call you?")


def company_after_name(text: str, lookups: Lookups | None = None) -> str | None:
    """The company in "Chris from Acme Widgets", given with the name; else None.

    Only one written with a capital, in the name's clause, that names no
    team: "Dana from marketing" and "Dana from Marketing" name a department.
    """
    clause = CLAUSE_BREAK.split(_after_preamble(text), maxsplit=1)[0].strip()
    words = clause.split()
    cut = next(
        (i for i, word in enumerate(words[1:-1], 1) if word.lower() in AFTER_A_NAME),
        None,
    )
    if cut is None:
        return None
    rest = " ".join(words[cut + 1 :]).strip(PREAMBLE_MARKS + " ")
    if not rest[:1].isupper():
        return None
    try:
        if parse_job_title(rest, lookups).department != "other":
            return None
    except InvalidInput:
        return None
    try:
        return clean_company(rest, lookups)
    except InvalidInput:
        return None


def _after_preamble(text: str) -> str:
    """The reply without a greeting or a yes before the name ("Hi, my name is
    Dana" is "my name is Dana"); as it was when it is all preamble ("sure")."""
    words = text.split()
    kept = 0
    while kept < len(words) and words[kept].lower().strip(PREAMBLE_MARKS) in (
        PREAMBLE | {""}
    ):
        kept += 1
    return " ".join(words[kept:]) if kept < len(words) else text


def _name_part(text: str) -> str:
    """The name in "Dana Lee from Acme Robotics" and in "Dana here"."""
    words = text.split()
    cut = next(
        (i for i, word in enumerate(words[1:-1], 1) if word.lower() in AFTER_A_NAME),
        len(words),
    )
    if cut > 1 and words[cut - 1].lower() == "here":
        cut -= 1
    return " ".join(words[:cut])


def _reads_as_a_name(name: str, lookups: Lookups) -> bool:
    """Whether ``name`` names the visitor rather than answering something else.

    It does not when a filler, a yes or a no comes first ("sure", "no, our
    ceo decides") or when an English function word is among its words
    ("whatever it costs", "before that"): names hold none; nor do the words
    of ``not_name_words`` ("smallish, like 15" answers the size). Name particles
    are no function words, nor are the few that are names too ("Nguyen Van
    An"); a yes in some language is a surname when written as one ("Sim
    Hyun-woo"), and an aside in brackets ("Dana Lee (she/her)") is not read.
    """
    if not _could_be_a_name(name):
        return False
    words = name.split()
    first = words[0].lower().strip(PREAMBLE_MARKS)
    if first in PREAMBLE:
        return False
    answers = _yes_no_terms(lookups)
    if name.lower() in answers or (first in answers and not _surname_first(words)):
        return False
    # Words split at spaces and apostrophes ("it's"), not at hyphens: "Shin
    # Min-a" holds no "a".
    words = re.split(r"[\s'’]+", clean(ASIDE.sub(" ", name)).lower())
    never = _function_words() | _not_name_words(lookups)
    return not any(word.strip(PREAMBLE_MARKS + '"()') in never for word in words)


def _surname_first(words: list[str]) -> bool:
    """ "Sim Hyun-woo", "N. Patel": a capitalized word, then more of a name."""
    return (
        len(words) > 1
        and re.fullmatch(r"[^\W\d_]+\.?", words[0]) is not None
        and words[0].istitle()
        and _written_as_a_name(" ".join(words[1:]))
    )


@functools.cache
def _yes_no_terms(lookups: Lookups) -> frozenset[str]:
    return frozenset(lookups.terms("answer_yes") + lookups.terms("answer_no"))


@functools.cache
def _not_name_words(lookups: Lookups) -> frozenset[str]:
    return frozenset(lookups.terms("not_name_words"))


@functools.cache
def _function_words() -> frozenset[str]:
    """spaCy's English stop words, but for those that are names too.

    spaCy is imported on first use, as in :func:`bot.answers.phrases.pipeline`.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) - NAMES_IN_STOP_WORDS


def _could_be_a_name(name: str) -> bool:
    return len(name.split()) <= MAX_NAME_WORDS and not any(map(_not_in_a_name, name))


def clean_company(text: str, lookups: Lookups | None = None) -> str:
    """A company name from an answer such as "I work at Globex Corp.".

    Markup is no part of it: a pasted link ("<a href=...>Evil Corp</a>") is
    its text ("Evil Corp").
    """
    terms = (lookups or default_lookups()).terms("company_lead_ins")
    if _TAG.search(text):
        # Only its text is kept, as plain str: nothing is rendered as markup.
        text = str(Markup(text).striptags())  # noqa: S704
    return _strip(text, terms, "company")


#: An HTML or XML tag.
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


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
    tell me the right name", these name one: "no, it's Meridian Health
    Partners" and "it's Meridian Health Partners actually" (a denial from
    ``guess_denials`` and a lead-in from ``company_lead_ins``), "the company
    is Tessellate Cloud" (a lead-in from ``guess_naming_lead_ins`` on its
    own), and a company the NLU tagged (``tagged``), bare or after either.
    "No, Meridian Health Partners" names one when written as a name. "No,
    I'm good", "nope, just browsing", "No, Maybe Later", "we're about 300
    people" and "it's fine" name none: they answer the question asked with
    the guess. Whether the message answers that question instead is for the
    caller to check first.
    """
    tables = lookups or default_lookups()
    denials = tables.terms("guess_denials")
    value = clean(text)  # "it’s" typed on a phone is "it's"
    value, denied = _cut_lead_ins(value, denials, times=2)  # "no, actually"
    value, naming = _cut_lead_ins(value, tables.terms("guess_naming_lead_ins"))
    led_in = False
    if not naming:
        value, led_in = _cut_lead_ins(value, tables.terms("company_lead_ins"))
    value, denied_after = _cut_lead_ins(value, denials)  # "it's actually ..."
    value, cut = _cut_trailing(value, tables.terms("correction_trailing_words"))
    value = _without_trailing_marks(value)
    denied = denied or denied_after or bool(cut & set(denials))
    named = value.lower() in {clean(t).lower() for t in tagged}
    # "No, Meridian Health Partners": a bare name after a denial counts when
    # it is written as a name ("No, Maybe Later" starts with a filler word).
    titled = denied and _written_as_a_name(value)
    if not (named or naming or (denied and led_in) or titled):
        return None
    words = value.split()
    if not words or len(words) > MAX_COMPANY_WORDS or "@" in value:
        return None
    if words[0].lower() in NOT_A_COMPANY or _reads_as_yes_or_no(value, tables):
        return None
    return value[:MAX_LENGTH]


def _written_as_a_name(value: str) -> bool:
    """Every word capitalized, but for joining words: "Pixel & Pine"."""
    words = [w for w in value.split() if w.lower() not in NAME_JOINERS]
    return bool(words) and all(w[0].isupper() or not w[0].isalpha() for w in words)


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


def _cut_lead_ins(
    text: str, lead_ins: tuple[str, ...], times: int = 1
) -> tuple[str, bool]:
    """``text`` without up to ``times`` of ``lead_ins`` at its start.

    A lead-in is a whole phrase: it ends the text or is followed by a space
    or a mark, so "at" is not cut from "AT&T".
    """
    cut = False
    for _ in range(times):
        lowered = text.lower()
        found = next(
            (
                lead_in
                for lead_in in sorted(lead_ins, key=len, reverse=True)
                if lowered == lead_in
                or re.match(re.escape(lead_in) + r"[\s,.:;!\-–—]", lowered)
            ),
            None,
        )
        if found is None:
            break
        text, cut = text[len(found) :].lstrip(" ,.:;!-–—"), True
    return text, cut


def _cut_trailing(text: str, trailing: tuple[str, ...]) -> tuple[str, set[str]]:
    """``text`` without trailing filler words ("actually", "thanks") and marks."""
    value = TRAILING.sub("", text)
    cut: set[str] = set()
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
        cut.add(word)


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
