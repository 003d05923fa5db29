"""Names and company names: lead-ins cut, the rest kept as typed."""

from __future__ import annotations

import pytest

from bot.answers import clean_company, clean_name
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dana Lee", "Dana Lee"),
        ("my name is Sam Carter", "Sam Carter"),
        ("hi, I'm Priya.", "Priya"),
        ("it's Jörg Müller", "Jörg Müller"),
        ("Aisha Al Mansouri", "Aisha Al Mansouri"),
        ("  call me   Max ", "Max"),
        ("Imogen Park", "Imogen Park"),
    ],
)
def test_names(text: str, name: str) -> None:
    assert clean_name(text) == name


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("I work at Globex Corp.", "Globex Corp"),
        ("Vereda Logística", "Vereda Logística"),
        ("we're called Brightline Health", "Brightline Health"),
        ("at Initech", "Initech"),
        ("Meridian Health Partners", "Meridian Health Partners"),
        ("Atlas Copco", "Atlas Copco"),
    ],
)
def test_companies(text: str, company: str) -> None:
    assert clean_company(text) == company


@pytest.mark.parametrize("text", ["my name is", "...", "i'm !"])
def test_nothing_left_is_asked_again(text: str) -> None:
    with pytest.raises(InvalidInput, match="name"):
        clean_name(text)
