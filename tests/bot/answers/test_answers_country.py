"""Country answers: names, codes, aliases and cities to ISO alpha-2."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import Country, parse_country
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Germany", "DE"),
        ("germany", "DE"),
        ("DE", "DE"),
        ("de", "DE"),
        ("DEU", "DE"),
        ("Deutschland", "DE"),
        ("USA", "US"),
        ("usa", "US"),
        ("us", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("uk", "GB"),
        ("England", "GB"),
        ("NO", "NO"),
        ("Berlin", "DE"),
        ("London", "GB"),
        ("we're in the US", "US"),
        ("based in sao paulo", "BR"),
        ("São Paulo", "BR"),
        ("I live in Paris, France", "FR"),
        ("The Netherlands", "NL"),
        ("Holland", "NL"),
        ("South Korea", "KR"),
        ("Vietnam", "VN"),
        ("Bangalore", "IN"),
        ("Zürich", "CH"),
        ("Germny", "DE"),
        ("Untied States", "US"),
        ("switzerland.", "CH"),
    ],
)
def test_finds_the_country(text: str, code: str) -> None:
    assert parse_country(text).code == code


def test_gives_the_name_people_use() -> None:
    assert parse_country("kr") == Country("KR", "South Korea")
    assert parse_country("gb") == Country("GB", "United Kingdom")


@pytest.mark.parametrize("text", ["", "asdf", "no", "in", "it", "somewhere nice"])
def test_rejects_answers_without_a_country(text: str) -> None:
    with pytest.raises(InvalidInput, match="country"):
        parse_country(text)


@settings(deadline=None)  # the first call builds the matchers
@given(st.sampled_from(sorted(c.alpha_2 for c in pycountry.countries)))
def test_every_alpha_2_code_reads_back(code: str) -> None:
    assert parse_country(code).code == code


@settings(deadline=None)  # the first call builds the matchers
@given(st.sampled_from(sorted(c.alpha_3 for c in pycountry.countries)))
def test_every_alpha_3_code_reads_back(code: str) -> None:
    assert parse_country(code).code == pycountry.countries.get(alpha_3=code).alpha_2


@settings(deadline=None)  # the first call builds the matchers
@given(st.sampled_from(sorted(pycountry.countries, key=lambda c: c.alpha_2)))
def test_every_official_name_reads_back(country: object) -> None:
    assert parse_country(country.name).code == country.alpha_2  # type: ignore[attr-defined]
