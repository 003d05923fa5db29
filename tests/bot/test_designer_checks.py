"""`dmql validate`: designers' mistakes named with their file and fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.designer.checks import Project, check
from bot.settings import PROJECT_ROOT


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the project's designer files, to break on purpose."""
    for name in ("domain.yml", "scoring.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    shutil.copytree(PROJECT_ROOT / "actions", tmp_path / "actions")
    if (PROJECT_ROOT / "tests" / "stories").exists():
        shutil.copytree(
            PROJECT_ROOT / "tests" / "stories", tmp_path / "tests" / "stories"
        )
    return Project(tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def messages(project: Project) -> list[str]:
    return [str(p) for p in check(project)]


def test_a_missing_why_answer_is_named_with_its_fix(project: Project) -> None:
    edit(project.domain, "  utter_why_budget:", "  utter_why_budget_old:")
    found = messages(project)
    assert any(
        "form slot 'budget' has no reason response 'utter_why_budget'" in m
        and "add 'utter_why_budget:'" in m
        for m in found
    ), found


def test_an_unused_response_is_named_with_its_line(project: Project) -> None:
    edit(
        project.domain,
        "responses:\n",
        "responses:\n  utter_forgotten:\n    - text: hi\n",
    )
    found = messages(project)
    assert any("response 'utter_forgotten' is never used" in m for m in found), found
    assert any("domain.yml line" in m for m in found if "utter_forgotten" in m)


def test_a_scoring_rule_on_an_unknown_field_is_named(project: Project) -> None:
    edit(project.rules, "field: company_size", "field: company_headcount")
    found = messages(project)
    assert any("reads 'company_headcount'" in m for m in found), found


def test_a_question_that_is_not_a_form_slot_is_named(project: Project) -> None:
    edit(
        project.rules,
        "contact: [name, email, consent]",
        "contact: [name, email, phone]",
    )
    found = messages(project)
    assert any("questions name 'phone'" in m for m in found), found


def test_a_broken_lookup_table_is_reported(project: Project) -> None:
    table = next((project.root / "data" / "lookups").glob("*.yml"))
    table.write_text("nlu:\n  - lookup: [unclosed\n")
    found = messages(project)
    assert any(table.name in m for m in found), found


def test_a_broken_rules_file_is_reported_with_its_line(project: Project) -> None:
    project.rules.write_text('version: "v1"\nfit:\n  cap: lots\n')
    found = messages(project)
    assert any("scoring.yml line 3" in m for m in found), found


def test_the_budget_in_the_base_currency_is_a_field_rules_may_read(
    project: Project,
) -> None:
    assert "field: budget_base" in project.rules.read_text()
    assert not [m for m in messages(project) if "budget_base" in m]


def test_a_base_currency_without_an_exchange_rate_is_named(project: Project) -> None:
    edit(project.rules, "currency: USD", "currency: AED")
    found = messages(project)
    assert any(
        "currency 'AED' has no rate" in m and "use one of: AUD," in m for m in found
    ), found


def test_an_interruption_without_a_mid_form_rule_is_named(project: Project) -> None:
    assert messages(project) == []
    rules = project.root / "data" / "rules" / "interruptions.yml"
    edit(rules, "      - intent: why_ask\n", "      - intent: ask_why_again\n")
    found = messages(project)
    assert any("intent 'why_ask'" in m and "no rule for the middle" in m for m in found)
    assert any("- intent: why_ask" in m for m in found), "the fix names the step"
