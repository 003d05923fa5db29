"""A business email's domain suggests the company: acme-robotics.com → Acme Robotics.

``tldextract`` splits off the public suffix ("co.uk", "com.au") from its
bundled copy of the Public Suffix List: no download, no cache on disk.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from bot.answers.email_address import is_free_email_domain
from bot.answers.lookups import Lookups, default_lookups

if TYPE_CHECKING:
    import tldextract

# Short names are usually initials: ibm.com → IBM, sap.com → SAP.
_INITIALS_MAX = 3


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def email_domain_company(domain: str, lookups: Lookups | None = None) -> str | None:
    """A readable company name guessed from a business email domain.

    Accepts a domain or a whole address. Returns None for free-mail domains
    and for anything without a registrable name. Words from
    ``email_domain_noise`` ("get", "hq", ...) are dropped from either end
    ("getacme.com" stays "Getacme": only separate words are dropped). A
    one-word name that ends in a ``company_name_endings`` word is split
    there ("halcyonfoods.co.uk" → "Halcyon Foods").
    """
    tables = lookups or default_lookups()
    host = domain.rsplit("@", 1)[-1].strip().strip(".").lower()
    if not host or is_free_email_domain(host, tables):
        return None
    parts = _extractor()(host)
    if not parts.domain or not parts.suffix:
        return None
    name = parts.domain
    noise = frozenset(tables.terms("email_domain_noise"))
    words = [word for word in re.split(r"[-_.]+", name) if word]
    while len(words) > 1 and words[0] in noise:
        words.pop(0)
    while len(words) > 1 and words[-1] in noise:
        words.pop()
    if len(words) == 1:
        return _split_ending(words[0], tables.terms("company_name_endings"))
    return " ".join(_style(word) for word in words) or None


#: Letters that must stay before a name's ending for it to be split off.
_MIN_STEM = 3


def _split_ending(word: str, endings: tuple[str, ...]) -> str:
    """'northgateanalytics' → 'Northgate Analytics'; 'wattleandco' → 'Wattle & Co'."""
    for ending in sorted(endings, key=len, reverse=True):
        glued = ending.replace(" ", "")
        stem = word.removesuffix(glued)
        if stem != word and len(stem) >= _MIN_STEM and stem.isalpha():
            tail = [
                "&" if part == "and" else part.capitalize() for part in ending.split()
            ]
            return " ".join([_style(stem), *tail])
    return _style(word)


def _style(word: str) -> str:
    if len(word) <= _INITIALS_MAX and word.isalpha():
        return word.upper()
    return word[:1].upper() + word[1:]
