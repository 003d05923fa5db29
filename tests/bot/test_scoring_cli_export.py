"""`dmql scoring export`: a whole CSV, or one line naming the fix and no file.

The lead store is a SQLite file per test, chosen through DMQL_DATABASE_URL
as an operator would; an unreachable PostgreSQL is a closed local port.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner, Result

from bot.qualification import export
from bot.scoring_cli import app
from bot.settings import get_settings
from bot.store.database import make_engine, upgrade


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Point the settings at a fresh SQLite file (no tables until upgraded)."""
    path = tmp_path / "store" / "leads.db"
    monkeypatch.setenv("DMQL_DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def run_export(out: Path) -> Result:
    return CliRunner().invoke(app, ["export", str(out)])


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """The folder exports are written to, apart from the store's files."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def leftovers(folder: Path) -> list[str]:
    """Every file in the folder, temporary ones included."""
    return sorted(p.name for p in folder.iterdir())


def test_help_shows_the_whole_fit_command() -> None:
    result = CliRunner().invoke(app, ["export", "--help"])
    assert "--mapping examples/product/mapping.yml --out DIR" in result.output


def test_a_store_without_tables_says_to_upgrade_and_writes_nothing(
    database: Path, exports: Path
) -> None:
    result = run_export(exports / "closed.csv")
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        "error: the lead database has no tables yet; run 'dmql db upgrade' "
        "first, or point DMQL_DATABASE_URL at the product's database"
    )
    assert leftovers(exports) == []


def test_an_unreachable_database_is_one_line_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, exports: Path
) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/leads?connect_timeout=3"
    monkeypatch.setenv("DMQL_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        result = run_export(exports / "closed.csv")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: cannot read the lead database (")
    assert "check DMQL_DATABASE_URL" in lines[0]
    assert leftovers(exports) == []


def test_a_failure_half_way_leaves_the_old_file_untouched(
    database: Path, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(make_engine(f"sqlite:///{database}"))
    out = exports / "closed.csv"
    out.write_text("the previous export\n")

    def broken(_sessions: object) -> Iterator[dict[str, object]]:
        yield dict.fromkeys(export.COLUMNS, 1)
        raise OperationalError("SELECT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(export, "rows", broken)
    result = run_export(out)
    assert result.exit_code == 2, result.output
    assert "disk I/O error" in result.output
    assert out.read_text() == "the previous export\n"
    assert leftovers(exports) == ["closed.csv"]


def test_a_migrated_store_exports_a_header_at_least(
    database: Path, exports: Path
) -> None:
    upgrade(make_engine(f"sqlite:///{database}"))
    result = run_export(exports / "closed.csv")
    assert result.exit_code == 0, result.output
    assert "wrote 0 closed handoffs" in result.output
    with (exports / "closed.csv").open(newline="") as handle:
        assert next(csv.reader(handle)) == list(export.COLUMNS)
    assert leftovers(exports) == ["closed.csv"]


def test_an_output_folder_that_does_not_exist_is_named(
    database: Path, exports: Path
) -> None:
    result = run_export(exports / "missing" / "closed.csv")
    assert result.exit_code == 2, result.output
    assert f"the directory '{exports}/missing' for 'closed.csv' does not exist" in (
        result.output
    )
    assert leftovers(exports) == []
