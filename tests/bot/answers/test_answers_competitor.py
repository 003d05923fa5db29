"""Competitors recognized by email domain or by the company a visitor names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import (
    DEFAULT_LOOKUPS_DIR,
    competitor_name,
    default_lookups,
    is_competitor,
    load_lookups,
)
from bot.errors import ConfigError


@pytest.mark.parametrize(
    ("domain", "name"),
    [
        ("attributa.io", "Attributa"),
        ("ATTRIBUTA.IO.", "Attributa"),
        ("dana@attributa.io", "Attributa"),
        ("mail.eu.attributa.io", "Attributa"),
        ("attributa.de", "Attributa"),  # the same name under another suffix
        ("funnelforge.com", "FunnelForge"),
        ("funnel-forge.net", "FunnelForge"),
        ("sam@creditpathanalytics.com", "Creditpath Analytics"),
        ("channelwright-mail.com", "Channelwright"),
        ("sourcebeam.co.uk", "Sourcebeam"),
    ],
)
def test_a_competitor_domain_or_subdomain(domain: str, name: str) -> None:
    assert competitor_name(domain, None) == name
    assert is_competitor(domain, None)


@pytest.mark.parametrize(
    "domain",
    [
        "acme.io",
        "gmail.com",
        "notattributa.io",
        "attributa.io.example.com",  # a lookalike host under someone else
        "attributa",  # no suffix: not a domain
        "",
        "@",
    ],
)
def test_other_domains_are_not_competitors(domain: str) -> None:
    assert competitor_name(domain, None) is None
    assert not is_competitor(domain, None)


@pytest.mark.parametrize(
    ("company", "name"),
    [
        ("Attributa", "Attributa"),
        ("attributa inc.", "Attributa"),
        ("ATTRIBUTA GmbH", "Attributa"),
        ("we're sourcebeam", "Sourcebeam"),
        ("Funnel Forge Ltd", "FunnelForge"),
        ("funnel-forge", "FunnelForge"),
        ("JourneyGraph's growth team", "JourneyGraph"),
        ("creditpath analytics", "Creditpath Analytics"),
        ("attributa.io", "Attributa"),
        # One typing slip: a letter missing, doubled or two swapped.
        ("Atributa", "Attributa"),
        ("funelforge", "FunnelForge"),
        ("FunnelFroge", "FunnelForge"),
        ("Touchtaly", "Touchtally"),
        ("Sourcebeeam", "Sourcebeam"),
        ("Leadlinaege", "Leadlineage"),
    ],
)
def test_a_competitor_company_name(company: str, name: str) -> None:
    assert competitor_name(None, company) == name
    assert is_competitor(None, company)


@pytest.mark.parametrize(
    "company",
    [
        "Acme",
        "FunnelForce",  # another letter is another company
        "Attribution Partners",
        "Journey",
        "Lead Line",
        "Forge",
        "",
    ],
)
def test_other_companies_are_not_competitors(company: str) -> None:
    assert competitor_name(None, company) is None


def test_either_the_domain_or_the_company_is_enough() -> None:
    assert competitor_name("gmail.com", "Attributa") == "Attributa"
    assert competitor_name("sourcebeam.co", "Acme") == "Sourcebeam"
    assert competitor_name(None, None) is None
    assert competitor_name("gmail.com", "Acme") is None


def test_every_table_entry_is_recognized() -> None:
    lookups = default_lookups()
    for table, terms in lookups.tables.items():
        if not table.startswith("competitor_"):
            continue
        name = terms[0].text
        for term in terms:
            if "." in term.text:
                assert competitor_name(f"dana@mail.{term.text}", None) == name
            else:
                assert competitor_name(None, term.text.upper()) == name


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_is_competitor_agrees_with_the_name_and_never_raises(
    domain: str, company: str
) -> None:
    assert is_competitor(domain, company) == (
        competitor_name(domain, company) is not None
    )


def test_a_designer_adds_a_competitor(tmp_path: Path) -> None:
    directory = tmp_path / "lookups"
    shutil.copytree(DEFAULT_LOOKUPS_DIR, directory)
    extra = directory / "extra.yml"
    extra.write_text(
        'version: "3.1"\nnlu:\n- lookup: competitor_Pixel Tally\n'
        "  examples: |\n    - Pixel Tally\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"extra\.yml:3: 'Pixel Tally'"):
        load_lookups(directory)
    extra.write_text(
        'version: "3.1"\nnlu:\n- lookup: competitor_pixel_tally\n'
        "  examples: |\n    - Pixel Tally\n    - pixeltally.io\n",
        encoding="utf-8",
    )
    lookups = load_lookups(directory)
    assert competitor_name("pixeltally.io", None, lookups=lookups) == "Pixel Tally"
    assert competitor_name(None, "pixel tally inc", lookups=lookups) == "Pixel Tally"
    assert competitor_name("pixeltally.io", None) is None
