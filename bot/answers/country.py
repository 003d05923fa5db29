"""Countries: "Germany", "DE", "DEU", "USA", "we're in Berlin" → ISO alpha-2.

Names and codes come from ``pycountry``; what visitors also type (common and
native names, big cities) from ``country_alias_*`` and ``city_country_*`` in
``data/lookups/countries.yml``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pycountry
from rapidfuzz import fuzz, process

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.phrases import Phrases, clean, pipeline
from bot.errors import InvalidInput

_NOT_UNDERSTOOD = (
    "Sorry, I didn't recognise that country — which country are you based in?"
)
# Two-letter codes that are also everyday words: only taken in capitals.
_CODE_WORDS = frozenset(
    {"no", "in", "it", "is", "am", "at", "be", "by", "do", "go", "me", "my"}
    | {"to", "an", "as", "so", "or", "hi", "id", "la", "pe", "ma"}
)
_FUZZY_CUTOFF = 85
_FUZZY_MAX_WORDS = 3


@dataclass(frozen=True)
class Country:
    """An ISO 3166 country: alpha-2 code and the name people use for it."""

    code: str
    name: str


@dataclass(frozen=True)
class _Matchers:
    names: Phrases
    choices: dict[str, str]


@functools.cache
def _matchers(lookups: Lookups) -> _Matchers:
    tables: dict[str, list[str]] = {}
    for country in pycountry.countries:
        names = tables.setdefault(country.alpha_2, [])
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.append(str(value))
    for prefix in ("country_alias_", "city_country_"):
        for code, terms in lookups.family(prefix).items():
            tables.setdefault(code.upper(), []).extend(terms)
    choices = {name.lower(): code for code, names in tables.items() for name in names}
    return _Matchers(names=Phrases(tables), choices=choices)


def parse_country(text: str, lookups: Lookups | None = None) -> Country:
    """Find the country an answer names, by name, code, alias or city.

    Names win over codes; a whole answer that is a code ("de", "DEU") is
    taken in any case, a code inside a sentence only in capitals ("we're in
    the US"), and never the everyday words "no", "in", "it" ... unless
    written in capitals. A short answer with a typo ("Germny") is matched
    fuzzily. The first country named wins.

    Raises:
        InvalidInput: no country found.
    """
    matchers = _matchers(lookups or default_lookups())
    said = clean(text).strip(" .,!?")
    found = matchers.names.find(said)
    if found:
        return _country(found[0].label)
    code = _code(said)
    if code is not None:
        return _country(code)
    if 0 < len(said.split()) <= _FUZZY_MAX_WORDS:
        best = process.extractOne(
            said.lower(),
            list(matchers.choices),
            scorer=fuzz.ratio,
            score_cutoff=_FUZZY_CUTOFF,
        )
        if best is not None:
            return _country(matchers.choices[str(best[0])])
    raise InvalidInput(_NOT_UNDERSTOOD)


def _code(said: str) -> str | None:
    if said.isalpha() and len(said) in (2, 3):
        if said.islower() and said in _CODE_WORDS:
            return None
        return _lookup_code(said)
    if said.isupper():
        return None  # "I'M IN THE US": capitals say nothing here
    for token in pipeline().make_doc(said):
        if token.is_upper and token.is_alpha and len(token) in (2, 3):
            code = _lookup_code(token.text)
            if code is not None:
                return code
    return None


def _lookup_code(code: str) -> str | None:
    upper = code.upper()
    country = (
        pycountry.countries.get(alpha_2=upper)
        if len(upper) == 2
        else pycountry.countries.get(alpha_3=upper)
    )
    return None if country is None else str(country.alpha_2)


def _country(code: str) -> Country:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:  # the loader checks table codes; pycountry's own are fine
        raise InvalidInput(_NOT_UNDERSTOOD)
    name = getattr(country, "common_name", None) or country.name
    return Country(code=str(country.alpha_2), name=str(name))
