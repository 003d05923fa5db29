"""`dmql scoring`: fit a scorecard from lead history, and score a CSV with it.

`fit` learns points per attribute band from an export of past leads with a
won/lost column, backtests it against gradient-boosted trees and writes the
scorecard (the rules YAML people review and edit), a report and two charts.
`predict` scores a CSV with a scorecard through the same engine the bot
uses, so a spreadsheet score and a chat score never disagree.

Bad input (unreadable file, missing column, outcome not 0/1) ends with one
line naming the problem and the fix, and exit code 2.
"""

from __future__ import annotations

import csv
import math
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer
import yaml
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.fit_reports.charts import calibration_chart, factors_chart
from bot.fit_reports.fit_report import render_report
from bot.qualification import export
from bot.settings import get_settings
from bot.store.database import make_engine, make_session_factory
from scoring.config import load_rules, parse_rules
from scoring.engine import score
from scoring.errors import ScoringConfigError
from scoring.fit import (
    ColumnMapping,
    FitInputError,
    FitOptions,
    backtest,
    fit_scorecard,
    mapping_from_dict,
    outcome_vector,
    prepare,
)
from scoring.fit.explain import factors
from scoring.model import AttributeValue, LeadInput

app = typer.Typer(
    help="Fit a lead scorecard from history, and score leads with it.",
    no_args_is_help=True,
)
console = Console()
BAD_INPUT = 2


class _BadInput(Exception):
    """Raised inside this module for input problems; becomes exit code 2."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(BAD_INPUT)


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, low_memory=False)
    except FileNotFoundError as exc:
        raise _BadInput(f"cannot find CSV '{path}'; check the path") from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise _BadInput(
            f"cannot read CSV '{path}' ({type(exc).__name__}); "
            "export it as comma-separated UTF-8 text"
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise _BadInput(f"CSV '{path}' is empty; export some leads") from exc


def _read_mapping(path: Path) -> ColumnMapping:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _BadInput(f"cannot read mapping '{path}'; check the path") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _BadInput(
            f"mapping '{path}' is not valid YAML; check indentation and quotes"
        ) from exc
    if not isinstance(raw, dict):
        raise _BadInput(f"mapping '{path}' must be a YAML mapping with 'outcome:'")
    return mapping_from_dict(raw)


def _metrics_table(result: Any) -> Table:
    table = Table(title=f"{result.folds}-fold cross-validation, {result.leads} leads")
    for column in ("model", "ROC AUC", "avg precision", "Brier"):
        table.add_column(column)
    for name, m in (("scorecard", result.scorecard), ("trees", result.baseline)):
        table.add_row(
            name, f"{m.roc_auc:.4f}", f"{m.average_precision:.4f}", f"{m.brier:.4f}"
        )
    return table


@app.command()
def fit(
    csv: Annotated[Path, typer.Argument(help="CSV export of past leads")],
    mapping: Annotated[Path, typer.Option(help="column mapping YAML")],
    out: Annotated[Path, typer.Option(help="directory for the scorecard + report")],
    version: Annotated[str | None, typer.Option(help="scorecard version")] = None,
    folds: Annotated[int, typer.Option(min=2, help="backtest folds")] = 5,
    max_attributes: Annotated[
        int, typer.Option(min=1, help="rules at most (one contribution each)")
    ] = FitOptions.max_attributes,
) -> None:
    """Fit a scorecard, backtest it and write scorecard.yml, report.md, PNGs."""
    try:
        columns = _read_mapping(mapping)
        history = _read_csv(csv)
        y = outcome_vector(history, columns)
        frame = prepare(history, columns)
        tag = version or f"{csv.stem}-fit-{date.today().isoformat()}"
        options = FitOptions(version=tag, max_attributes=max_attributes)
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=console, transient=True,
        ) as progress:  # fmt: skip
            task = progress.add_task("fitting the scorecard", total=None)
            started = time.perf_counter()
            fitted = fit_scorecard(frame, y, columns, options)
            seconds = time.perf_counter() - started
            progress.update(task, description="backtesting")
            result = backtest(
                frame, y, columns, options, folds,
                lambda step: progress.update(task, description=f"backtest {step}"),
            )  # fmt: skip
    except (_BadInput, FitInputError) as exc:
        raise _fail(str(exc)) from exc
    card_yaml = yaml.safe_dump(
        fitted.scorecard.to_dict(), sort_keys=False, allow_unicode=True
    )
    parse_rules(card_yaml, "fitted scorecard")  # the engine must accept it
    top = factors(fitted.scorecard, frame, y)
    out.mkdir(parents=True, exist_ok=True)
    header = f"# Fitted by 'dmql scoring fit' from {csv.name}; see report.md.\n"
    (out / "scorecard.yml").write_text(header + card_yaml, encoding="utf-8")
    report = render_report(fitted, result, top, seconds)
    (out / "report.md").write_text(report, encoding="utf-8")
    calibration_chart(result, out / "calibration.png")
    factors_chart(top, out / "factors.png")
    console.print(_metrics_table(result))
    console.print(
        f"fit took {seconds:.1f} s; at most {result.max_contributions} "
        "contributions per lead"
    )
    console.print("[bold]Top factors[/bold]")
    for i, factor in enumerate(top, start=1):
        console.print(f"{i}. {factor.sentence}", highlight=False)
    console.print(f"wrote {out}/scorecard.yml, report.md, calibration.png, factors.png")


def _attributes(row: dict[str, Any]) -> dict[str, AttributeValue]:
    """A prepared row as the engine wants it: missing is None, numbers float."""
    out: dict[str, AttributeValue] = {}
    for key, value in row.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            out[key] = None
        elif isinstance(value, np.generic):
            out[key] = value.item()
        else:
            out[key] = value
    return out


@app.command()
def predict(
    csv: Annotated[Path, typer.Argument(help="CSV of leads to score")],
    scorecard: Annotated[Path, typer.Option(help="scorecard YAML from 'fit'")],
    mapping: Annotated[Path, typer.Option(help="column mapping YAML")],
    out: Annotated[Path, typer.Option(help="CSV to write")],
) -> None:
    """Score every lead: total, probability and the contributions in words."""
    try:
        columns = _read_mapping(mapping)
        rules = load_rules(scorecard)
        leads = _read_csv(csv)
        frame = prepare(leads, columns)
    except (_BadInput, FitInputError, ScoringConfigError) as exc:
        raise _fail(str(exc)) from exc
    now = datetime.now(UTC)
    totals, probabilities, reasons = [], [], []
    for row in frame.to_dict(orient="records"):
        card = score(rules, LeadInput(attributes=_attributes(row)), now)
        totals.append(card.total)
        probabilities.append(card.probability)
        reasons.append(
            "; ".join(f"{c.reason} ({c.points:+g})" for c in card.contributions)
        )
    ids = [c for c in columns.identifiers if c in leads.columns]
    result = leads[ids].copy()
    result["score"] = totals
    result["probability"] = probabilities
    result["contributions"] = reasons
    result["model_version"] = rules.version
    result.to_csv(out, index=False)
    console.print(f"scored {len(result)} leads with {rules.version}; wrote {out}")


@app.command("export")
def export_outcomes(
    out: Annotated[Path, typer.Argument(help="CSV file to write")],
) -> None:
    """Export closed handoffs (won, lost, rejected) to refit the scorecard.

    Fit on it with: dmql scoring fit OUT --mapping examples/product/mapping.yml
    """
    settings = get_settings()
    sessions = make_session_factory(make_engine(settings.lead_database_url))
    written = 0
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=export.COLUMNS)
        writer.writeheader()
        for row in export.rows(sessions):
            writer.writerow(row)
            written += 1
    typer.echo(f"wrote {written} closed handoffs to {out}")
