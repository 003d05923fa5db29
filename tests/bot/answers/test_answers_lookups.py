"""The designer-editable tables: loading, checking, and extending them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.answers import (
    DEFAULT_LOOKUPS_DIR,
    Lookups,
    default_lookups,
    load_lookups,
    parse_country,
    parse_job_title,
    preload,
)
from bot.answers.lookups import REQUIRED_TABLES
from bot.errors import ConfigError, InvalidInput

MakeLookups = Callable[[str], Path]


@pytest.fixture
def make_lookups(tmp_path: Path) -> MakeLookups:
    """A copy of the project's tables plus one extra file with ``content``."""

    def make(content: str) -> Path:
        directory = tmp_path / "lookups"
        shutil.copytree(DEFAULT_LOOKUPS_DIR, directory)
        (directory / "extra.yml").write_text(content, encoding="utf-8")
        return directory

    return make


def test_default_points_at_the_project_tables() -> None:
    assert Path(__file__).parents[3] / "data" / "lookups" == DEFAULT_LOOKUPS_DIR
    assert default_lookups() is default_lookups()  # read once per process
    assert "gmail.com" in default_lookups().terms("free_email_domains")


def test_every_table_file_is_rasa_nlu_lookup_data() -> None:
    for path in sorted(DEFAULT_LOOKUPS_DIR.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert document["version"] == "3.1", path
        assert set(document) == {"version", "nlu"}, path
        for item in document["nlu"]:
            assert set(item) == {"lookup", "examples"}, (path, item)
            lines = item["examples"].strip().splitlines()
            assert all(line.lstrip().startswith("- ") for line in lines), path


def test_required_tables_are_present_and_not_empty() -> None:
    lookups = default_lookups()
    for name in REQUIRED_TABLES:
        assert lookups.terms(name), name


def test_family_groups_tables_by_member() -> None:
    seniority = default_lookups().family("seniority_")
    assert set(seniority) == {
        "c_level",
        "vp",
        "director",
        "manager",
        "individual_contributor",
        "student",
        "other",
    }
    assert "ceo" in seniority["c_level"]


def test_a_term_keeps_the_line_it_came_from(make_lookups: MakeLookups) -> None:
    directory = make_lookups(
        'version: "3.1"\nnlu:\n- lookup: widgets\n  examples: |\n    - a\n\n    - b\n'
    )
    terms = load_lookups(directory).tables["widgets"]
    assert [term.source for term in terms] == [
        f"{directory / 'extra.yml'}:5",
        f"{directory / 'extra.yml'}:7",
    ]


def test_designers_extend_a_table_without_code(make_lookups: MakeLookups) -> None:
    lookups = load_lookups(
        make_lookups(
            'version: "3.1"\nnlu:\n'
            "- lookup: city_country_is\n  examples: |\n    - reykjavik\n"
        )
    )
    assert isinstance(lookups, Lookups)
    assert parse_country("Reykjavik", lookups=lookups).code == "IS"
    with pytest.raises(InvalidInput, match="country"):
        parse_country("Reykjavik")


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("nlu: [\n", 2, "not valid YAML"),
        ('version: "3.1"\nnlu:\n- lookup: widgets\n', 3, "needs 'examples: |'"),
        (
            'version: "3.1"\nnlu:\n- lookup: widgets\n  examples: |\n    - a\n    b\n',
            6,
            "expected '- term'",
        ),
        (
            'version: "3.1"\nnlu:\n- lookup: seniority_boss\n  examples: |\n    - x\n',
            3,
            "unknown lookup 'seniority_boss'",
        ),
        (
            'version: "3.1"\nnlu:\n- lookup: city_country_xx\n  examples: |\n'
            "    - atlantis\n",
            3,
            "ISO 3166 alpha-2",
        ),
        (
            'version: "3.1"\nnlu:\n- lookup: currency_zzz\n  examples: |\n    - z\n',
            3,
            "ISO 4217",
        ),
        (
            'version: "3.1"\nnlu:\n- lookup: answer_yes\n  examples: |\n    - y\n',
            3,
            "already defined at",
        ),
        (
            'version: "3.1"\nnlu:\n- lookup: city_country_is\n  examples: |\n'
            "    - sydney\n",
            5,
            "is in both",
        ),
        ("- just a list\n", 1, "expected 'version' and 'nlu'"),
        (
            'version: "3.1"\nnlu:\n- lookup: widgets\n  examples: |\n'
            "    - a\n    - zorblax lead # added by marketing\n",
            6,
            "holds a comment",
        ),
    ],
)
def test_a_broken_table_names_file_and_line(
    make_lookups: MakeLookups, content: str, line: int, message: str
) -> None:
    directory = make_lookups(content)
    with pytest.raises(ConfigError, match=message) as caught:
        load_lookups(directory)
    assert f"extra.yml:{line}" in str(caught.value)


def test_a_missing_required_table_is_named(tmp_path: Path) -> None:
    directory = tmp_path / "lookups"
    shutil.copytree(DEFAULT_LOOKUPS_DIR, directory)
    (directory / "email_domains.yml").unlink()
    with pytest.raises(ConfigError, match="free_email_domains"):
        load_lookups(directory)


def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_lookups(tmp_path / "nowhere")


def test_parsers_use_the_tables_they_are_given(make_lookups: MakeLookups) -> None:
    # A designer moves "growth" from marketing to sales by editing tables.
    directory = make_lookups("")
    path = directory / "job_titles.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    - growth\n", ""),
        encoding="utf-8",
    )
    (directory / "extra.yml").write_text(
        'version: "3.1"\nnlu:\n- lookup: department_sales_extra\n'
        "  examples: |\n    - x\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="unknown lookup"):
        load_lookups(directory)
    (directory / "extra.yml").write_text("", encoding="utf-8")
    lookups = load_lookups(directory)
    assert parse_job_title("head of growth", lookups=lookups).department == "other"
    assert parse_job_title("head of growth").department == "marketing"


def test_preload_builds_every_parser_from_the_given_tables(
    make_lookups: MakeLookups,
) -> None:
    lookups = load_lookups(
        make_lookups(
            'version: "3.1"\nnlu:\n'
            "- lookup: city_country_is\n  examples: |\n    - reykjavik\n"
        )
    )
    preload(lookups)
    assert parse_country("Reykjavik", lookups=lookups).code == "IS"


def test_a_pasted_term_matches_what_a_visitor_types(make_lookups: MakeLookups) -> None:
    directory = make_lookups('version: "3.1"\nnlu: []\n')
    titles = directory / "job_titles.yml"
    head = "- lookup: seniority_c_level\n  examples: |\n"
    pasted = (
        "    - \u201cquibble master\u201d\n    - fizz\u2019s\u00a0boss\n"
        "    - \uff37idget \uff23zar\n"
    )
    titles.write_text(titles.read_text().replace(head, head + pasted, 1))
    lookups = load_lookups(directory)
    for title in ("Quibble Master", "fizz's boss", "Widget Czar"):
        assert parse_job_title(title, lookups=lookups).seniority == "c_level", title
