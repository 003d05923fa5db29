"""Every lookup table in data/lookups is one some code reads.

A table's name is how code finds it: the answer parsers ask for
``lookups.terms("answer_yes")`` or a family, ``lookups.family("industry_")``
(:mod:`bot.answers.lookups` names the families and the tables it needs). A
misspelt name (``industy_saas``) loads without complaint and is simply never
read. The one exception is ``data/lookups/entity_cues.yml``: its tables are for
the entity extractor alone, which reads every table (config.yml), so any name
there is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

import bot
from bot.answers.lookups import FAMILIES, REQUIRED_TABLES
from bot.designer.domain_file import child
from bot.designer.names import compose, did_you_mean, section, yaml_files
from bot.designer.problem import Problem
from scoring.yaml_nodes import line_of

#: The file of tables only the entity extractor (the CRF) reads.
CRF_CUES = "entity_cues.yml"
READ_IN_CODE = re.compile(r"""\.(terms|family)\(\s*["']([a-z0-9_]+)["']\s*\)""")


def names_read_by_code(folders: list[Path]) -> tuple[set[str], set[str]]:
    """Table names and family prefixes the code under `folders` reads."""
    tables, families = set(REQUIRED_TABLES), set(FAMILIES)
    for folder in folders:
        for path in sorted(folder.rglob("*.py")) if folder.is_dir() else []:
            for kind, name in READ_IN_CODE.findall(path.read_text(encoding="utf-8")):
                (tables if kind == "terms" else families).add(name)
    return tables, families


def _known(tables: set[str], families: set[str]) -> set[str]:
    """The names a did-you-mean may offer: tables, and family members."""
    known = set(tables)
    for prefix in families:
        members = FAMILIES.get(prefix)
        known |= {prefix + m for m in members} if members else {prefix + "<name>"}
    return known


def check_lookup_names(root: Path) -> Iterator[Problem]:
    """Tables outside entity_cues.yml that no parser reads."""
    code = [Path(bot.__file__).parent, root / "actions"]
    tables, families = names_read_by_code(code)
    known = _known(tables, families)
    for path in yaml_files(root / "data" / "lookups"):
        if path.name == CRF_CUES:
            continue
        for item in section(compose(path), "nlu"):
            name = child(item, "lookup")
            if not isinstance(name, yaml.ScalarNode):
                continue
            table = str(name.value)
            if table in tables or table.startswith(tuple(families)):
                continue
            yield Problem(
                str(path.relative_to(root)), line_of(name),
                f"no code reads lookup table '{table}', so its terms change nothing",
                f"{did_you_mean(table, known)}otherwise rename it to a table "
                f"a parser reads (bot/answers/lookups.py), or move it to "
                f"data/lookups/{CRF_CUES} if it is only a cue for the entity "
                "extractor",
            )  # fmt: skip
