"""Designer-editable lookup tables that drive the answer parsers.

The tables live in ``data/lookups/*.yml`` in Rasa's own NLU lookup format, so
``rasa train`` and ``rasa data validate`` read them as ordinary lookup tables
(and the RegexFeaturizer may even use them) while this module reads the same
files to build the parsers' vocabularies::

    version: "3.1"
    nlu:
    - lookup: seniority_vp
      examples: |
        - vp
        - vice president

A table's name says what it feeds: ``seniority_<level>``,
``department_<name>``, ``industry_<key>``, ``city_country_<alpha-2>``,
``currency_<ISO 4217>``, ``competitor_<slug>``, ``correction_slot_<slot>`` and
a handful of single tables (``free_email_domains``, ``answer_yes`` ...; see
:data:`REQUIRED_TABLES`). Other lookups may sit beside them for the NLU
pipeline; they are kept but not used here.

A table that cannot be understood stops start-up with a :class:`ConfigError`
that names the file, the line and the fix, rather than quietly parsing answers
with half a vocabulary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

import pycountry
import yaml

from bot.answers.phrases import clean
from bot.errors import ConfigError

DEFAULT_LOOKUPS_DIR = Path(__file__).resolve().parents[2] / "data" / "lookups"
"""Where the project keeps its tables: ``<project root>/data/lookups``."""

Seniority = Literal[
    "c_level",
    "vp",
    "director",
    "manager",
    "individual_contributor",
    "student",
    "other",
]
SENIORITIES: tuple[str, ...] = get_args(Seniority)
Department = Literal[
    "marketing",
    "sales",
    "engineering",
    "product",
    "operations",
    "finance",
    "hr",
    "it",
    "executive",
    "other",
]
DEPARTMENTS: tuple[str, ...] = get_args(Department)
IndustryKey = Literal[
    "software",
    "saas",
    "marketing",
    "ecommerce",
    "financial_services",
    "professional_services",
    "education",
    "healthcare",
    "manufacturing",
    "retail",
    "media",
    "nonprofit",
    "government",
    "telecom",
    "logistics",
    "real_estate",
    "hospitality",
    "energy",
    "automotive",
    "other",
]
"""What an industry answer is normalized to; "other" when no table matches."""
INDUSTRIES: tuple[str, ...] = tuple(k for k in get_args(IndustryKey) if k != "other")
"""Industry keys a table may name; an answer naming none of them is "other"."""
CORRECTION_SLOTS = (
    "name",
    "email",
    "company",
    "job_title",
    "company_size",
    "industry",
    "country",
    "timeline",
    "budget",
)
"""Form slots a visitor may correct mid-conversation."""

REQUIRED_TABLES = (
    "job_seeker_phrases",
    "job_title_lead_ins",
    "job_title_team_lead_phrases",
    "job_title_acronyms",
    "free_email_domains",
    "email_domain_noise",
    "answer_yes",
    "answer_no",
    "answer_unknown",
    "unknown_fillers",
    "customer_upgrade",
    "customer_more",
    "customer_units",
    "customer_problems",
    "company_size_solo",
    "budget_none",
    "budget_depends",
    "budget_per_month",
    "budget_per_quarter",
    "budget_per_year",
    "timeline_now",
    "timeline_present_state",
    "timeline_researching",
    "timeline_unknown",
    "timeline_fiscal_year",
    "start_words",
    "generic_dollar_terms",
    "sector_lead_ins",
    "sector_trailing_words",
    "correction_cues",
    "correction_soft_cues",
    "correction_lead_ins",
    "correction_trailing_words",
    "name_lead_ins",
    "not_name_words",
    "company_lead_ins",
    "guess_denials",
    "guess_naming_lead_ins",
)
"""Single tables the parsers need; a missing one is a start-up error."""


def _is_alpha_2(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code.upper()) is not None


def _is_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code.upper()) is not None


def _is_slug(name: str) -> bool:
    return re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", name) is not None


FAMILIES: Mapping[str, tuple[str, ...] | None] = MappingProxyType(
    {
        "seniority_": SENIORITIES,
        "department_": DEPARTMENTS,
        "industry_": INDUSTRIES,
        "correction_slot_": CORRECTION_SLOTS,
        # Member names are checked against ISO lists below (None here).
        "city_country_": None,
        "country_alias_": None,
        "currency_": None,
        "competitor_": None,
    }
)
"""Table families: ``<prefix><member>``; one term may not sit in two members."""

_MEMBER_CHECKS = {
    "city_country_": (_is_alpha_2, "an ISO 3166 alpha-2 country code, e.g. de"),
    "country_alias_": (_is_alpha_2, "an ISO 3166 alpha-2 country code, e.g. gb"),
    "currency_": (_is_currency, "an ISO 4217 currency code, e.g. eur"),
    "competitor_": (_is_slug, "lower case, digits and underscores, e.g. acme_ads"),
}


@dataclass(frozen=True)
class Term:
    """One line of a table, with where it came from for error messages."""

    text: str
    source: str


@dataclass(frozen=True, eq=False)
class Lookups:
    """Every table read from one directory, by lookup name.

    Compared and hashed by identity, so parsers can cache the matchers they
    build from one ``Lookups`` for the life of the process.
    """

    directory: Path
    tables: Mapping[str, tuple[Term, ...]] = field(repr=False)

    def terms(self, name: str) -> tuple[str, ...]:
        """The terms of one table, lower-cased; empty if the table is absent."""
        return tuple(term.text.lower() for term in self.tables.get(name, ()))

    def family(self, prefix: str) -> dict[str, tuple[str, ...]]:
        """Member name → lower-cased terms for every table named ``prefix*``."""
        return {
            name.removeprefix(prefix): self.terms(name)
            for name in sorted(self.tables)
            if name.startswith(prefix)
        }


def load_lookups(directory: Path | str) -> Lookups:
    """Read and check every ``*.yml``/``*.yaml`` table under ``directory``.

    Raises:
        ConfigError: a file is not valid YAML, a table is malformed, has an
            unknown family member, repeats a term within its family, or a
            required table is missing. The message names the file and line.
    """
    root = Path(directory)
    if not root.is_dir():
        raise ConfigError(f"lookup directory {root} does not exist")
    tables: dict[str, tuple[Term, ...]] = {}
    first_seen: dict[str, str] = {}
    paths = sorted([*root.rglob("*.yml"), *root.rglob("*.yaml")])
    for path in paths:
        for name, where, terms in _read_file(path):
            if name in tables:
                raise ConfigError(
                    f"{where}: lookup {name!r} is already defined at "
                    f"{first_seen[name]}; merge the two tables into one"
                )
            _check_name(name, where)
            tables[name] = terms
            first_seen[name] = where
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise ConfigError(
            f"{root}: lookup table(s) {', '.join(missing)} are missing; "
            "restore them from version control"
        )
    _check_families(tables)
    return Lookups(directory=root, tables=MappingProxyType(tables))


@functools.cache
def default_lookups() -> Lookups:
    """The project's own tables, read once per process on first use."""
    return load_lookups(DEFAULT_LOOKUPS_DIR)


def _read_file(path: Path) -> Iterator[tuple[str, str, tuple[Term, ...]]]:
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"), yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: not valid YAML ({exc.problem})") from exc
    if document is None:
        return
    if not isinstance(document, yaml.MappingNode):
        raise ConfigError(f"{path}:1: expected 'version' and 'nlu' keys at the top")
    nlu = _get(document, "nlu")
    if nlu is None:
        return
    if not isinstance(nlu, yaml.SequenceNode):
        raise ConfigError(f"{_where(path, nlu)}: 'nlu' must be a list of items")
    for item in nlu.value:
        if not isinstance(item, yaml.MappingNode):
            raise ConfigError(f"{_where(path, item)}: each nlu item is a mapping")
        name_node = _get(item, "lookup")
        if name_node is None:
            continue  # an intent, synonym or regex: Rasa's business, not ours
        if not isinstance(name_node, yaml.ScalarNode) or not name_node.value:
            raise ConfigError(f"{_where(path, item)}: 'lookup' needs a table name")
        examples = _get(item, "examples")
        if not isinstance(examples, yaml.ScalarNode):
            raise ConfigError(
                f"{_where(path, name_node)}: lookup {name_node.value!r} needs "
                "'examples: |' followed by lines like '- term'"
            )
        terms = tuple(_read_examples(path, examples))
        yield name_node.value, _where(path, name_node), terms


def _read_examples(path: Path, node: yaml.ScalarNode) -> Iterator[Term]:
    # A block scalar ('|') starts on the line after its indicator.
    first_line = node.start_mark.line + (2 if node.style == "|" else 1)
    for offset, raw in enumerate(str(node.value).splitlines()):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        source = f"{path}:{first_line + offset}"
        if not line.startswith("- ") or not line[2:].strip():
            raise ConfigError(
                f"{source}: expected '- term', found {line!r}; start each "
                "entry with a dash and a space"
            )
        text = line[2:].strip()
        if " #" in text:
            raise ConfigError(
                f"{source}: {text!r} holds a comment, which would become part "
                "of the term; put the comment on a line of its own ('# ...')"
            )
        # The same clean-up a visitor's answer gets, so a term pasted with
        # curly quotes or a non-breaking space still matches what is typed.
        yield Term(text=clean(text).strip("\"'"), source=source)


def _check_name(name: str, where: str) -> None:
    for prefix, members in FAMILIES.items():
        if not name.startswith(prefix):
            continue
        member = name.removeprefix(prefix)
        if members is not None and member not in members:
            raise ConfigError(
                f"{where}: unknown lookup {name!r}; use one of "
                + ", ".join(prefix + known for known in members)
            )
        check = _MEMBER_CHECKS.get(prefix)
        if check is not None and not check[0](member):
            raise ConfigError(
                f"{where}: {member!r} in lookup {name!r} should be {check[1]}"
            )


def _check_families(tables: Mapping[str, tuple[Term, ...]]) -> None:
    for prefix in FAMILIES:
        owner: dict[str, tuple[str, Term]] = {}
        for name in sorted(tables):
            if not name.startswith(prefix):
                continue
            for term in tables[name]:
                key = term.text.lower()
                if key in owner and owner[key][0] != name:
                    other_name, other = owner[key]
                    raise ConfigError(
                        f"{term.source}: {term.text!r} is in both {name!r} and "
                        f"{other_name!r} ({other.source}); keep it in one table"
                    )
                owner[key] = (name, term)


def _get(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found: yaml.Node = value_node
            return found
    return None


def _where(path: Path, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}"
