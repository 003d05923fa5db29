"""Industries as visitors describe them, to the keys the lead score uses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import (
    DEFAULT_LOOKUPS_DIR,
    Industry,
    default_lookups,
    load_lookups,
    parse_industry,
)
from bot.answers.industry import LABELS, MAX_LABEL
from bot.answers.lookups import INDUSTRIES
from bot.errors import ConfigError, InvalidInput

SCORING_FILE = Path(__file__).parents[3] / "scoring.yml"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("we're a B2B SaaS company", "saas"),
        ("SaaS", "saas"),
        ("fintech", "financial_services"),
        ("Fintech startup", "financial_services"),
        ("online shop selling shoes", "ecommerce"),
        ("we run an e-commerce store", "ecommerce"),
        ("DTC brand", "ecommerce"),
        ("hospital group", "healthcare"),
        ("we make car parts", "automotive"),
        ("digital agency", "marketing"),
        ("we're a small seo agency", "marketing"),
        ("university", "education"),
        ("software", "software"),
        ("Tech company", "software"),
        ("management consulting", "professional_services"),
        ("law firm", "professional_services"),
        ("recruitment agency", "professional_services"),
        ("we sell insurance", "financial_services"),
        ("non-profit", "nonprofit"),
        ("local government", "government"),
        ("telecoms operator", "telecom"),
        ("freight forwarding", "logistics"),
        ("real estate", "real_estate"),
        ("boutique hotels", "hospitality"),
        ("travel agency", "hospitality"),
        ("solar energy", "energy"),
        ("we make furniture", "manufacturing"),
        ("fashion retailer", "retail"),
        ("podcast network", "media"),
        ("it's healthcare", "healthcare"),  # "it" is not IT
        ("IT services", "software"),
    ],
)
def test_reads_the_industry_key(text: str, key: str) -> None:
    assert parse_industry(text) == Industry(key, LABELS[key])


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("banks", "financial_services"),
        ("universities", "education"),
        ("car dealerships", "automotive"),
        ("agencies", "marketing"),
        ("HOSPITALS", "healthcare"),
        ("helthcare", "healthcare"),
        ("ecomerce", "ecommerce"),
        ("goverment", "government"),
        ("manufactoring", "manufacturing"),
        ("insurence", "financial_services"),
        ("univercity", "education"),
    ],
)
def test_plurals_case_and_typos_still_match(text: str, key: str) -> None:
    assert parse_industry(text).key == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # One phrase: the last word names the business.
        ("ecommerce agency", "marketing"),
        ("healthcare saas", "saas"),
        ("marketing software", "software"),
        ("we make software", "software"),
        # The longest table phrase beats the words inside it.
        ("marketing consultancy", "marketing"),
        ("consultancy", "professional_services"),
        ("online retail", "ecommerce"),
        # Otherwise the first named: what they are, then whom they serve.
        ("software for hospitals", "software"),
        ("SaaS for ecommerce brands", "saas"),
        ("a marketing agency for healthcare brands", "marketing"),
        ("retail and ecommerce", "retail"),
    ],
)
def test_answers_naming_two_industries(text: str, key: str) -> None:
    assert parse_industry(text).key == key


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("we're in the beekeeping space", "Beekeeping"),
        ("Beekeeping", "Beekeeping"),
        ("family business", "Family business"),
        ("we do Escape Rooms", "Escape Rooms"),
        ("sass", "Sass"),  # four letters: too short to correct safely
        ("agenda", "Agenda"),  # one letter from "agency" is not close enough
    ],
)
def test_unknown_industries_keep_the_visitors_words(text: str, label: str) -> None:
    assert parse_industry(text) == Industry("other", label)


def test_a_very_long_answer_is_cut_to_what_the_store_holds() -> None:
    industry = parse_industry("artisanal " * 40)
    assert industry.key == "other"
    assert len(industry.label) <= MAX_LABEL


@pytest.mark.parametrize("text", ["", "   ", "?!", "—"])
def test_an_empty_answer_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="industry"):
        parse_industry(text)


def test_every_table_term_reads_as_its_own_industry() -> None:
    for key, terms in default_lookups().family("industry_").items():
        for term in terms:
            assert parse_industry(term).key == key, term
            assert parse_industry(term.upper()).key == key, term


def test_keys_are_the_ones_the_scoring_rules_use() -> None:
    rules = yaml.safe_load(SCORING_FILE.read_text(encoding="utf-8"))
    (industry_rule,) = [r for r in rules["fit"]["rules"] if r["id"] == "industry"]
    assert set(industry_rule["points"]) <= set(INDUSTRIES)
    assert set(LABELS) == set(INDUSTRIES)
    assert set(default_lookups().family("industry_")) == set(INDUSTRIES)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_never_refuses_an_answer_with_letters_or_digits(text: str) -> None:
    if not any(char.isalnum() for char in text):
        return
    try:
        industry = parse_industry(text)
    except InvalidInput:
        # Letters that NFKC or the edge trim removes, e.g. a lone "²".
        return
    assert industry.key in (*INDUSTRIES, "other")
    assert industry.label
    assert len(industry.label) <= MAX_LABEL


def test_a_designer_adds_an_industry_word(tmp_path: Path) -> None:
    directory = tmp_path / "lookups"
    shutil.copytree(DEFAULT_LOOKUPS_DIR, directory)
    (directory / "extra.yml").write_text(
        'version: "3.1"\nnlu:\n- lookup: industry_energy_extra\n'
        "  examples: |\n    - beekeeper\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="unknown lookup 'industry_energy_extra'"):
        load_lookups(directory)
    (directory / "extra.yml").write_text(
        'version: "3.1"\nnlu:\n- lookup: industry_education_extra\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"extra\.yml:3"):
        load_lookups(directory)
    path = directory / "industries.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "- lookup: industry_manufacturing\n  examples: |\n",
            "- lookup: industry_manufacturing\n  examples: |\n    - beekeeper\n",
        ),
        encoding="utf-8",
    )
    (directory / "extra.yml").write_text("", encoding="utf-8")
    lookups = load_lookups(directory)
    assert parse_industry("Beekeepers", lookups=lookups).key == "manufacturing"
    assert parse_industry("Beekeepers").key == "other"
