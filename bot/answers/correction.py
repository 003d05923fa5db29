"""Corrections: "actually we're 500 people", "I'm at Globex, not Initech".

A visitor may change an earlier answer at any point of the conversation.
:func:`detect_correction` recognizes that, says which form slot is being
corrected and returns the new answer with the correcting words cut away, for
the slot's own parser in :mod:`bot.answers` to normalize as usual.

Three things must line up before a message counts as a correction:

1. a cue that the visitor is correcting themselves: a phrase from
   ``correction_cues`` ("actually", "I meant", "correction:"), a contrast
   ("..., not the US", "instead of ..."), or a ``correction_soft_cues``
   phrase ("sorry", "wait") together with a word naming what is corrected;
2. a slot: named by a ``correction_slot_<slot>`` phrase ("email", "people",
   "budget", "based"), or, without one, implied by the answer itself (an
   "@", a currency, a job title, an industry or a country);
3. the slot's parser accepts the new answer. A candidate it rejects is
   passed over, so "sorry, I meant the marketing team" is a job title even
   though "team" usually points at the company size.

The tables live in ``data/lookups/corrections.yml``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, cast

from bot.answers.budget import parse_budget
from bot.answers.company_size import parse_company_size
from bot.answers.country import parse_country
from bot.answers.email_address import parse_email
from bot.answers.industry import parse_industry
from bot.answers.job_title import parse_job_title
from bot.answers.lookups import CORRECTION_SLOTS, Lookups, default_lookups
from bot.answers.phrases import Phrases, clean, pipeline
from bot.answers.timeline import parse_timeline
from bot.errors import InvalidInput

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

CorrectionSlot = Literal[
    "name",
    "email",
    "company",
    "job_title",
    "company_size",
    "industry",
    "country",
    "timeline",
    "budget",
]

_EDGE_PUNCTUATION = " .,;:!?-–—"
_CLAUSE_BREAKS = frozenset({",", ";", ".", "!", "?", "but"})
# "not" after these is a plain negation, not "X, not Y".
_NEGATION_BEFORE = frozenset(
    {"is", "are", "'re", "re", "am", "'m", "m", "was", "were", "be", "been"}
    | {"do", "does", "did", "have", "has", "had", "'ve", "can", "could", "will"}
    | {"would", "'ll", "'d", "should", "must", "may", "might", "i", "we", "it"}
    | {"'s", "s", "that", "this", "course", "probably", "maybe", "perhaps", "if"}
    | {"hopefully", "definitely", "absolutely", "certainly", "really", "or", "why"}
    | {"whether", "just", "still", "also", "even", "sure"}
)
# "not yet", "not sure", "not at all": hedges, not contrasts.
_HEDGES_AFTER = [
    *("yet", "now", "sure", "really", "much", "quite", "many", "too", "very"),
    *("anytime", "at", "any", "so", "exactly", "necessarily", "certain", "right"),
    *("decided", "applicable", "relevant", "bad", "that"),
]
# Names and companies are only taken when a cue word points at them.
_MAX_NAME_WORDS = 4
_MAX_COMPANY_WORDS = 6
_MAX_IMPLIED_WORDS = 8
_MAX_IMPLIED_COUNTRY_WORDS = 4


@dataclass(frozen=True)
class Correction:
    """A new answer for an earlier question, in the visitor's words.

    ``value`` is what the slot's parser (or, for ``name`` and ``company``,
    the lead store) should be given: "500 people", "€50k", "Canada".
    """

    slot: CorrectionSlot
    value: str


@dataclass(frozen=True)
class _Matchers:
    cues: Phrases
    soft_cues: Phrases
    slots: Phrases
    lead_ins: Phrases
    trailing: Phrases
    currencies: Phrases
    contrasts: Matcher


@functools.cache
def _matchers(lookups: Lookups) -> _Matchers:
    from spacy.matcher import Matcher

    contrasts = Matcher(pipeline().vocab)
    contrasts.add(
        "not",
        [[{"LOWER": "not"}, {"LOWER": {"NOT_IN": _HEDGES_AFTER}, "IS_PUNCT": False}]],
    )
    contrasts.add(
        "instead",
        [
            [{"LOWER": "instead"}, {"LOWER": "of"}],
            [{"LOWER": "rather"}, {"LOWER": "than"}],
            [{"LOWER": "as"}, {"LOWER": "opposed"}, {"LOWER": "to"}],
        ],
    )
    money = [term for terms in lookups.family("currency_").values() for term in terms]
    return _Matchers(
        cues=Phrases({"cue": lookups.terms("correction_cues")}),
        soft_cues=Phrases({"soft": lookups.terms("correction_soft_cues")}),
        slots=Phrases(lookups.family("correction_slot_")),
        lead_ins=Phrases({"lead_in": lookups.terms("correction_lead_ins")}),
        trailing=Phrases({"trailing": lookups.terms("correction_trailing_words")}),
        currencies=Phrases({"money": [*money, *lookups.terms("generic_dollar_terms")]}),
        contrasts=contrasts,
    )


def detect_correction(
    text: str, today: date, lookups: Lookups | None = None
) -> Correction | None:
    """Which earlier answer a message corrects, and the new answer; else None.

    Slots are tried in this order: email if there is an "@", budget if there
    is a currency, the slots cue words name (in reading order), then job
    title, industry and country. The first whose parser accepts the new
    answer wins. Words like "now" or "instead" at the end are dropped when
    the parser reads the same without them ("it's next quarter now" gives
    "next quarter"). ``today`` is what the timeline parser measures from.
    """
    tables = lookups or default_lookups()
    matchers = _matchers(tables)
    said = clean(text)
    doc = pipeline().make_doc(said)
    strong = matchers.cues.find_in(doc)
    soft = matchers.soft_cues.find_in(doc)
    contrasts = list(_contrasts(doc, matchers.contrasts))
    cut = [(found.start, found.end) for found in strong + soft] + contrasts
    if not cut:
        return None
    kept = _without(doc, cut)
    named = [found.label for found in matchers.slots.find(kept)]
    if not (strong or contrasts or named or "@" in kept):
        return None  # "sorry, what was that?" apologizes, it doesn't correct
    value = _strip_lead_ins(kept, matchers.lead_ins)
    if not value:
        return None
    shorter = _strip_trailing(value, matchers.trailing)
    for slot in _candidates(named, value, matchers):
        read = _reader(slot, today, tables, implied=slot not in named)
        whole = read(value)
        reading = whole if shorter == value else read(shorter)
        if reading is not None and (whole is None or reading == whole):
            return _correction(slot, shorter, reading)
        if whole is not None:
            return _correction(slot, value, whole)
    return None


def _correction(slot: CorrectionSlot, value: str, reading: object) -> Correction:
    # An address is handed on alone: "wrong one, it's x@y.io" → "x@y.io".
    if slot == "email" and isinstance(reading, str):
        return Correction(slot=slot, value=reading)
    return Correction(slot=slot, value=value)


def _contrasts(doc: Doc, matcher: Matcher) -> Iterator[tuple[int, int]]:
    """Character spans of "..., not Y" and "instead of Y" clauses, to cut."""
    for match_id, start, _end in matcher(doc):
        label = doc.vocab.strings[match_id]
        previous = doc[start - 1] if start > 0 else None
        negation = previous is not None and previous.lower_ in _NEGATION_BEFORE
        if label == "not" and negation:
            continue
        first = start
        if previous is not None and (
            previous.is_punct or previous.lower_ in ("but", "and")
        ):
            first = start - 1
        last = start + 1
        while last < len(doc) and doc[last].lower_ not in _CLAUSE_BREAKS:
            last += 1
        # A clause before the answer ("not 50 but 500") takes its break along.
        if last < len(doc) and (first == 0 or doc[first].is_punct):
            last += 1
        yield doc[first].idx, doc[last - 1].idx + len(doc[last - 1])


def _without(doc: Doc, cut: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    for token in doc:
        if any(start <= token.idx < end for start, end in cut):
            # What is cut leaves a space: "1,500, not 150. We" → "1,500 We".
            if parts and not parts[-1].endswith(" "):
                parts.append(" ")
            continue
        parts.append(token.text_with_ws)
    return clean("".join(parts)).strip(_EDGE_PUNCTUATION)


def _strip_lead_ins(kept: str, lead_ins: Phrases) -> str:
    """Cut "we're", "my email is", "budget is more like" off the front."""
    value = kept
    while value:
        found = lead_ins.find(value)
        if not found or found[0].start != 0:
            break
        value = value[found[0].end :].strip(_EDGE_PUNCTUATION)
    return value


def _strip_trailing(value: str, trailing: Phrases) -> str:
    rest = value
    while True:
        found = trailing.find(rest)
        if not found or found[-1].end != len(rest):
            return rest
        shorter = rest[: found[-1].start].strip(_EDGE_PUNCTUATION)
        if not shorter:
            return rest
        rest = shorter


def _candidates(
    named: list[str], value: str, matchers: _Matchers
) -> Iterator[CorrectionSlot]:
    # An address or a currency says more than any cue word; then the slots
    # the visitor named, in their order; then what the answer may imply.
    sure = []
    if "@" in value:
        sure.append("email")
    if matchers.currencies.find(value):
        sure.append("budget")
    implied = ["job_title", "industry", "country"]
    for slot in dict.fromkeys([*sure, *named, *implied]):
        assert slot in CORRECTION_SLOTS  # the loader allows no other tables
        yield cast(CorrectionSlot, slot)


def _reader(
    slot: CorrectionSlot, today: date, lookups: Lookups, *, implied: bool
) -> Callable[[str], object | None]:
    """How ``slot``'s parser reads a value: a comparable reading, or None.

    Two values with equal readings mean the same answer, so trailing words
    that change nothing ("next quarter now") can be dropped. Slots the
    answer only implies are held to more: no long sentences, and a job
    title or industry must name a table word.
    """

    def read(value: str) -> object | None:
        words = len(value.split())
        if implied and words > _MAX_IMPLIED_WORDS:
            return None
        try:
            return _read(slot, value, words, today, lookups, implied=implied)
        except InvalidInput:
            return None

    return read


def _read(
    slot: CorrectionSlot,
    value: str,
    words: int,
    today: date,
    lookups: Lookups,
    *,
    implied: bool,
) -> object | None:
    if slot == "email":
        return parse_email(value, lookups=lookups).address
    if slot == "company_size":
        return parse_company_size(value, lookups=lookups)
    if slot == "budget":
        budget = parse_budget(value, lookups=lookups)
        return (budget.status, budget.amount, budget.currency, budget.period)
    if slot == "timeline":
        timeline = parse_timeline(value, today, lookups=lookups)
        return (timeline.months, timeline.researching)
    if slot == "country":
        if implied and words > _MAX_IMPLIED_COUNTRY_WORDS:
            return None
        return parse_country(value, lookups=lookups).code
    if slot == "job_title":
        title = parse_job_title(value, lookups=lookups)
        names_role = title.seniority != "other" or title.department != "other"
        if implied and not (names_role or title.job_seeker):
            return None
        return (title.seniority, title.department, title.job_seeker)
    if slot == "industry":
        key = parse_industry(value, lookups).key
        return None if implied and key == "other" else key
    if slot == "name":
        return True if words <= _MAX_NAME_WORDS and _plain_words(value) else None
    return True if words <= _MAX_COMPANY_WORDS and "@" not in value else None


def _plain_words(value: str) -> bool:
    """A name: letters, spaces, hyphens and apostrophes only."""
    return any(char.isalpha() for char in value) and all(
        char.isalpha() or char in " -'." for char in value
    )
