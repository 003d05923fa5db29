"""A rules version name never stands for two different sets of rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from bot.errors import ConfigError
from bot.qualification import rule_versions, scorer
from bot.settings import PROJECT_ROOT
from bot.store.models import Base, ScoringVersion

SHIPPED = (PROJECT_ROOT / "scoring.yml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scoring.yml"
    path.write_text(text, encoding="utf-8")
    return path


def register(sessions, path: Path) -> None:
    rule_versions.register(sessions, scorer.load(path), path)


def test_the_rules_behind_a_version_are_recorded_once(sessions, tmp_path) -> None:
    path = write(tmp_path, SHIPPED)
    register(sessions, path)
    # Comments and spacing are no change of rules.
    register(sessions, write(tmp_path, "# edited by Dana\n" + SHIPPED + "\n\n"))
    with sessions() as session:
        stored = session.scalars(select(ScoringVersion)).all()
    assert [(v.version, v.rules) for v in stored] == [("v3", SHIPPED)]


def test_changed_rules_under_the_same_version_stop_start_up(sessions, tmp_path) -> None:
    register(sessions, write(tmp_path, SHIPPED))
    changed = write(tmp_path, SHIPPED.replace("vp: 18", "vp: 19"))
    with pytest.raises(ConfigError, match=r"raise its version \(e.g. \"v4\"\)"):
        register(sessions, changed)
    raised = write(tmp_path, changed.read_text().replace('"v3"', '"v4"', 1))
    register(sessions, raised)
    with sessions() as session:
        versions = session.scalars(select(ScoringVersion.version)).all()
    assert sorted(versions) == ["v3", "v4"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [("v3", "v4"), ("2026.9", "2026.10"), ("beta", "beta-2")],
)
def test_the_suggested_version_is_the_next_one(version: str, expected: str) -> None:
    assert rule_versions._next(version) == expected


def test_the_migrations_build_the_tables_the_models_describe(engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection), Base.metadata
        )
    assert differences == []


def test_a_country_rule_on_norway_is_fingerprinted_as_the_rules_read_it() -> None:
    norway = "fit:\n  rules:\n    - {id: c, field: country, points: {NO: 3, US: 5}}\n"
    assert rule_versions.fingerprint(norway) != rule_versions.fingerprint(
        norway.replace("NO: 3", "false: 3")
    )
    assert rule_versions.fingerprint("a: off\n") != rule_versions.fingerprint(
        "a: false\n"
    )
