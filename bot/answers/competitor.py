"""Competitors: is this visitor from a vendor we compete with?

A visitor counts as a competitor when their email domain (or any subdomain
of it) is one of a competitor's domains, or when the company they name is a
competitor's, allowing one slip of the keyboard ("Atributa", "FunnelFroge").
The vendors come from the ``competitor_<slug>`` tables in
``data/lookups/competitors.yml``: the first entry is the vendor's name, the
entries with a dot its domains, the rest other spellings of the name.
``tldextract`` splits domains with its bundled Public Suffix List, offline.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.phrases import Phrases, clean, pipeline

if TYPE_CHECKING:
    import tldextract

_PREFIX = "competitor_"
# Fuzzy matching only for names this long: short ones collide with words.
_FUZZY_MIN_LENGTH = 7
# A company answer is short; longer texts are only searched for exact names.
_MAX_WORDS = 12
_MAX_NGRAM = 3
_NOT_LETTERS = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class _Matchers:
    names: Phrases
    display: Mapping[str, str]
    domains: Mapping[str, str]
    brands: Mapping[str, str]
    compact: Mapping[str, str]


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@functools.cache
def _matchers(lookups: Lookups) -> _Matchers:
    display: dict[str, str] = {}
    spellings: dict[str, list[str]] = {}
    domains: dict[str, str] = {}
    brands: dict[str, str] = {}
    compact: dict[str, str] = {}
    for table, terms in sorted(lookups.tables.items()):
        if not table.startswith(_PREFIX) or not terms:
            continue
        slug = table.removeprefix(_PREFIX)
        display[slug] = terms[0].text
        spellings[slug] = [term.text for term in terms]
        for term in terms:
            text = term.text.lower()
            if _is_domain(text):
                registered, brand = _split(text)
                if registered:
                    domains[registered] = slug
                    brands[_compact(brand)] = slug
            else:
                compact[_compact(text)] = slug
    return _Matchers(
        names=Phrases(spellings),
        display=MappingProxyType(display),
        domains=MappingProxyType(domains),
        brands=MappingProxyType(brands),
        compact=MappingProxyType(compact),
    )


def competitor_name(
    email_domain: str | None, company: str | None, lookups: Lookups | None = None
) -> str | None:
    """The competitor a visitor works for, by name as sales knows it, or None.

    ``email_domain`` may be a bare domain, a subdomain or a whole address
    ("dana@eu.attributa.io"); the same name under another public suffix
    ("attributa.de") counts too. ``company`` is the visitor's answer; a
    competitor's name anywhere in it counts ("Attributa Inc.", "we're
    FunnelForge"), and so does a name one typing slip away from it (a
    letter missing, doubled or two swapped) when the name has at least
    seven letters. A different letter does not count: "FunnelForce" may be
    somebody else, and a lead lost to a false match costs more than a
    competitor who slips through.
    """
    matchers = _matchers(lookups or default_lookups())
    slug = None
    if email_domain:
        slug = _by_domain(email_domain, matchers)
    if slug is None and company:
        slug = _by_company(company, matchers)
    return None if slug is None else matchers.display[slug]


def is_competitor(
    email_domain: str | None, company: str | None, lookups: Lookups | None = None
) -> bool:
    """Whether the visitor's email domain or company is a competitor's."""
    return competitor_name(email_domain, company, lookups) is not None


def _by_domain(email_domain: str, matchers: _Matchers) -> str | None:
    host = email_domain.rsplit("@", 1)[-1].strip().strip(".").lower()
    if not host:
        return None
    registered, brand = _split(host)
    if not registered:
        return None
    return matchers.domains.get(registered) or matchers.brands.get(_compact(brand))


def _by_company(company: str, matchers: _Matchers) -> str | None:
    said = clean(company)
    found = matchers.names.find(said)
    if found:
        return found[0].label
    if _is_domain(said.lower()):
        return _by_domain(said, matchers)
    for candidate in _ngrams(said):
        exact = matchers.compact.get(candidate)
        if exact is not None:
            return exact
        for spelling, slug in matchers.compact.items():
            if _near_miss(candidate, spelling):
                return slug
    return None


def _ngrams(said: str) -> Iterator[str]:
    """Runs of one to three words, squeezed together: "Funnel Froge" too."""
    words = [
        token.lower_
        for token in pipeline().make_doc(said)
        if not token.is_punct and not token.is_space
    ][:_MAX_WORDS]
    for size in range(1, _MAX_NGRAM + 1):
        for start in range(len(words) - size + 1):
            yield _compact(" ".join(words[start : start + size]))


def _near_miss(typed: str, name: str) -> bool:
    """One letter missing, added, or two neighbours swapped; not changed."""
    if min(len(typed), len(name)) < _FUZZY_MIN_LENGTH:
        return False
    if OSA.distance(typed, name, score_cutoff=1) != 1:
        return False
    return len(typed) != len(name) or sorted(typed) == sorted(name)


def _is_domain(text: str) -> bool:
    return "." in text.strip(".") and not any(char.isspace() for char in text)


def _split(host: str) -> tuple[str, str]:
    """``eu.mail.attributa.co.uk`` → ("attributa.co.uk", "attributa")."""
    parts = _extractor()(host)
    if not parts.domain or not parts.suffix:
        return "", ""
    return f"{parts.domain}.{parts.suffix}", parts.domain


def _compact(text: str) -> str:
    return _NOT_LETTERS.sub("", text.lower())
