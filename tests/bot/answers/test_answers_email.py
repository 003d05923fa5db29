"""Email answers: extraction, validation, free-mail detection, company names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import Email, email_domain_company, parse_email
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "address", "domain", "kind"),
    [
        ("dana@acme.io", "dana@acme.io", "acme.io", "business"),
        ("sorry, my email is dana@acme.io", "dana@acme.io", "acme.io", "business"),
        ("It's Dana.Lee@Acme.IO.", "dana.lee@acme.io", "acme.io", "business"),
        ("<dana@acme.co.uk>", "dana@acme.co.uk", "acme.co.uk", "business"),
        (
            "dana+bot@acme-robotics.com",
            "dana+bot@acme-robotics.com",
            "acme-robotics.com",
            "business",
        ),
        ("dana at acme dot io", "dana@acme.io", "acme.io", "business"),
        ("dana.lee@gmail.com", "dana.lee@gmail.com", "gmail.com", "free"),
        ("DANA@HOTMAIL.CO.UK", "dana@hotmail.co.uk", "hotmail.co.uk", "free"),
        ("use dana@proton.me please", "dana@proton.me", "proton.me", "free"),
        ("dana@web.de", "dana@web.de", "web.de", "free"),
    ],
)
def test_finds_and_normalizes_the_address(
    text: str, address: str, domain: str, kind: str
) -> None:
    assert parse_email(text) == Email(address, domain, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not an email",
        "dana@",
        "@acme.io",
        "dana@acme",
        "dana@@acme.io",
        "dana@acme..io",
        "dana@-acme.io",
    ],
)
def test_rejects_what_is_not_an_address(text: str) -> None:
    with pytest.raises(InvalidInput, match="doesn't look like an email address"):
        parse_email(text)


def test_asks_which_when_there_are_two() -> None:
    with pytest.raises(InvalidInput, match="more than one"):
        parse_email("dana@acme.io or dana@gmail.com")


@settings(deadline=None)  # the first call builds the matchers
@given(
    st.from_regex(r"[a-z][a-z0-9]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9]{1,15}", fullmatch=True),
)
def test_simple_addresses_read_back_lower_cased(local: str, name: str) -> None:
    result = parse_email(f"My email: {local.upper()}@{name}.com")
    assert result.address == f"{local}@{name}.com"


@pytest.mark.parametrize(
    ("domain", "company"),
    [
        ("acme-robotics.com", "Acme Robotics"),
        ("dana@acme-robotics.com", "Acme Robotics"),
        ("acme.io", "Acme"),
        ("mail.acme.co.uk", "Acme"),
        ("acme_labs.de", "Acme Labs"),
        ("get-acme.io", "Acme"),
        ("acme-hq.com", "Acme"),
        ("ibm.com", "IBM"),
        ("Acme.COM", "Acme"),
        # A name's known last word is split off; brands stay whole.
        ("northgateanalytics.com", "Northgate Analytics"),
        ("wattleandco.com.au", "Wattle & Co"),
        ("cobaltopay.es", "Cobalto Pay"),
        ("salesforce.com", "Salesforce"),
        ("payments.com", "Payments"),
    ],
)
def test_business_domain_suggests_the_company(domain: str, company: str) -> None:
    assert email_domain_company(domain) == company


@pytest.mark.parametrize(
    "domain", ["gmail.com", "yahoo.co.uk", "dana@outlook.com", "localhost", ""]
)
def test_free_mail_and_bare_hosts_suggest_no_company(domain: str) -> None:
    assert email_domain_company(domain) is None
