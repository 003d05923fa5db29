"""Industries: "B2B SaaS", "fintech", "online shop selling shoes" → a scoring key.

The keys are the ones the ``industry`` rule of ``scoring.yml`` gives points
to; the words that name them come from the ``industry_<key>`` tables in
``data/lookups/industries.yml``. Plurals ("banks") and near-miss spellings
("helthcare") are brought back to the table's words before matching, so
designers write each term once, in the singular.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import cast

from rapidfuzz import fuzz, process

from bot.answers.lookups import INDUSTRIES, IndustryKey, Lookups, default_lookups
from bot.answers.phrases import Found, Phrases, clean, pipeline
from bot.errors import InvalidInput

LABELS: Mapping[str, str] = MappingProxyType(
    {
        "software": "Software",
        "saas": "SaaS",
        "marketing": "Marketing & advertising",
        "ecommerce": "E-commerce",
        "financial_services": "Financial services",
        "professional_services": "Professional services",
        "education": "Education",
        "healthcare": "Healthcare",
        "manufacturing": "Manufacturing",
        "retail": "Retail",
        "media": "Media & entertainment",
        "nonprofit": "Non-profit",
        "government": "Government & public sector",
        "telecom": "Telecommunications",
        "logistics": "Transport & logistics",
        "real_estate": "Real estate",
        "hospitality": "Hospitality & travel",
        "energy": "Energy & utilities",
        "automotive": "Automotive",
    }
)
"""How sales reads each key; ``other`` keeps the visitor's own words."""

MAX_LABEL = 100
"""Longest label kept: the lead store's ``industry`` column holds 100."""

_EDGE_PUNCTUATION = " .,;:!?-–—()\"'"
# Typo correction: only words this long, and only this close to a table word.
_FUZZY_MIN_LENGTH = 5
_FUZZY_CUTOFF = 85
# Between two industry words of one phrase ("ecommerce agency").
_COMPOUND_GAPS = frozenset({"", "-", "/"})

_EMPTY = "Sorry, I didn't catch that — which industry is your company in?"


@dataclass(frozen=True)
class Industry:
    """An industry as the lead score uses it.

    ``key`` is one of :data:`IndustryKey`; ``label`` is for people: the
    industry's name, or for ``other`` the visitor's own words ("Beekeeping").
    """

    key: IndustryKey
    label: str


@dataclass(frozen=True)
class _Matchers:
    industries: Phrases
    vocabulary: frozenset[str]
    fuzzy_choices: tuple[str, ...]
    lead_ins: Phrases
    trailing: Phrases


@functools.cache
def _matchers(lookups: Lookups) -> _Matchers:
    industries = Phrases(lookups.family("industry_"))
    return _Matchers(
        industries=industries,
        vocabulary=industries.vocabulary,
        fuzzy_choices=tuple(
            sorted(word for word in industries.vocabulary if len(word) >= 4)
        ),
        lead_ins=Phrases({"lead_in": lookups.terms("sector_lead_ins")}),
        trailing=Phrases({"trailing": lookups.terms("sector_trailing_words")}),
    )


def parse_industry(text: str, lookups: Lookups | None = None) -> Industry:
    """Read the industry a free answer names; ``other`` when it names none.

    The longest table phrase wins where phrases overlap ("marketing
    consultancy" is marketing). Two industries written as one phrase are read
    as English compounds, the last word naming the business ("ecommerce
    agency" is marketing, "we make car parts" automotive); otherwise the
    first one named wins ("software for hospitals" is software). An answer
    that names no industry is never refused: it becomes ``other`` with the
    visitor's words as the label, so sales still reads what they said.

    Raises:
        InvalidInput: the answer has no letters or digits at all.
    """
    matchers = _matchers(lookups or default_lookups())
    said = clean(text).strip(_EDGE_PUNCTUATION)
    if not any(char.isalnum() for char in said):
        raise InvalidInput(_EMPTY)
    canonical = _canonical(said, matchers)
    found = matchers.industries.find(canonical)
    if found:
        key = _business(found, canonical)
        return Industry(key=key, label=LABELS[key])
    return Industry(key="other", label=_own_words(said, matchers))


def _canonical(said: str, matchers: _Matchers) -> str:
    """Lower case, with plurals and near misses turned into table words."""
    out: list[str] = []
    for token in pipeline().make_doc(said):
        out.append(_table_word(token.lower_, matchers) + token.whitespace_)
    return "".join(out)


def _table_word(word: str, matchers: _Matchers) -> str:
    vocabulary = matchers.vocabulary
    if word in vocabulary or not word.isalpha():
        return word
    for singular in _singulars(word):
        if singular in vocabulary:
            return singular
    if len(word) < _FUZZY_MIN_LENGTH:
        return word
    best = process.extractOne(
        word, matchers.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
    )
    return word if best is None else str(best[0])


def _singulars(word: str) -> tuple[str, ...]:
    """English singulars a plural may come from: agencies → agency, bank."""
    if word.endswith("ies") and len(word) > 4:
        return (word[:-3] + "y",)
    if word.endswith("es") and len(word) > 3:
        return (word[:-1], word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return (word[:-1],)
    return ()


def _business(found: list[Found], canonical: str) -> IndustryKey:
    """The first phrase's industry, or its last word's for compounds."""
    chosen = found[0]
    for following in found[1:]:
        if canonical[chosen.end : following.start].strip() not in _COMPOUND_GAPS:
            break
        chosen = following
    assert chosen.label in INDUSTRIES  # the loader allows no other table names
    return cast(IndustryKey, chosen.label)


def _own_words(said: str, matchers: _Matchers) -> str:
    """The answer without "we're in the ... space": what sales should read."""
    rest = said
    while True:
        lead_ins = matchers.lead_ins.find(rest)
        if not lead_ins or lead_ins[0].start != 0:
            break
        shorter = rest[lead_ins[0].end :].strip(_EDGE_PUNCTUATION)
        if not shorter:
            break
        rest = shorter
    while True:
        trailing = matchers.trailing.find(rest)
        if not trailing or trailing[-1].end != len(rest):
            break
        shorter = rest[: trailing[-1].start].strip(_EDGE_PUNCTUATION)
        if not shorter:
            break
        rest = shorter
    label = rest[:MAX_LABEL].strip()
    if label.islower():
        label = label[:1].upper() + label[1:]
    return label
