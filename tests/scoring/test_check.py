"""`python -m scoring.check` tells a marketer whether the rules file works."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.check import main
from tests.scoring.factories import DEFAULT_RULES_PATH


def test_check_of_the_default_rules_shows_the_examples_stages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main([str(DEFAULT_RULES_PATH)])

    out = capsys.readouterr().out
    assert status == 0
    assert "scoring v3 loads" in out
    assert "stage dmql" in out
    assert "stage disqualified" in out
    assert "Student, not a buyer" in out


def test_check_of_a_broken_file_prints_line_and_fix_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scoring.yml"
    path.write_text('version: "v2"\nfit:\n  cpa: 60\n', encoding="utf-8")

    status = main([str(path)])

    err = capsys.readouterr().err
    assert status == 1
    assert err.strip() == (
        f"{path} line 3: unknown key 'cpa' in 'fit'; did you mean 'cap'?"
    )


def test_a_card_fitted_on_csv_columns_needs_any_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "card.yml"
    path.write_text(
        'version: "fit-1"\nfit:\n  rules:\n'
        "    - {id: origin, field: Lead Origin, points: {api: 5}}\n",
        encoding="utf-8",
    )

    assert main([str(path)]) == 1
    assert "reads 'Lead Origin', which no lead has" in capsys.readouterr().err
    assert main([str(path), "--any-fields"]) == 0
    assert "scoring fit-1 loads" in capsys.readouterr().out


def test_help_is_help_not_a_file_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "--any-fields" in capsys.readouterr().out
