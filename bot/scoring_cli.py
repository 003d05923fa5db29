"""`dmql scoring`: fit a scorecard from lead history, and score a CSV with it.

`fit` learns points per attribute band from an export of past leads with a
won/lost column, backtests it against gradient-boosted trees and writes the
scorecard (the rules YAML people review and edit), a report and two charts.
`predict` scores a CSV with a scorecard through the same engine the bot
uses, so a spreadsheet score and a chat score never disagree. `export`
writes the product's closed handoffs in the shape `fit` reads.

Bad input (unreadable file, missing column, outcome not 0/1, an --out that
cannot be written, a database without tables) ends with one line naming the
problem and the fix, and exit code 2; it is checked before the long work.

pandas, scikit-learn and matplotlib take seconds to import, and every `dmql`
command imports this module, so they are imported inside the commands that
use them: `dmql rescore` or `dmql run` never pay for them.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import get_settings
from bot.store.database import driver_cause, make_engine, make_session_factory
from bot.store.models import Handoff
from scoring.config import load_rules, parse_rules
from scoring.engine import score
from scoring.errors import ScoringConfigError
from scoring.model import AttributeValue, LeadInput

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from scoring.fit import BacktestResult, ColumnMapping, FitOptions, FitResult
    from scoring.fit.explain import Factor
    from scoring.rules import ScoringRules

app = typer.Typer(
    help="Fit a lead scorecard from history, and score leads with it.",
    no_args_is_help=True,
)
console = Console()
BAD_INPUT = 2
SHOWN = 6
"""At most this many names in one error line."""


class _BadInput(Exception):
    """Raised inside this module for input problems; becomes exit code 2."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(BAD_INPUT)


def _warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Input problems end as one line and exit code 2, never a traceback.

    `FitInputError` is imported only once one is raised (it is a ValueError):
    importing `scoring.fit` loads scikit-learn, and a wrong --out should not
    wait for that.
    """
    try:
        yield
    except (_BadInput, ScoringConfigError) as exc:
        raise _fail(str(exc)) from exc
    except ValueError as exc:
        from scoring.fit.errors import FitInputError

        if not isinstance(exc, FitInputError):
            raise
        raise _fail(str(exc)) from exc


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def _check_out_dir(out: Path) -> None:
    """Refuse an --out directory that cannot be made, before fitting for minutes."""
    if out.exists() and not out.is_dir():
        raise _BadInput(
            f"--out '{out}' is a file; give a directory to hold scorecard.yml, "
            "report.md and the two charts"
        )
    existing = next(p for p in (out, *out.parents) if p.exists())
    if not existing.is_dir():
        raise _BadInput(f"--out '{out}' is inside the file '{existing}'")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _BadInput(f"cannot write in '{existing}'; choose another --out")


def _check_out_file(out: Path, source: Path | None = None) -> None:
    """Refuse an output CSV that would fail late or overwrite the input."""
    if source is not None and out.exists() and source.exists() and out.samefile(source):
        raise _BadInput(
            f"--out '{out}' is the input CSV; writing there would overwrite "
            "the leads: choose another file, e.g. scored.csv"
        )
    if out.is_dir():
        raise _BadInput(f"'{out}' is a directory; give the path of a CSV file to write")
    if not out.parent.is_dir():
        raise _BadInput(
            f"the directory '{out.parent}' for '{out.name}' does not exist; "
            "create it first or choose another path"
        )


def _read_csv(path: Path) -> pd.DataFrame:
    import pandas as pd

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
    from scoring.fit import mapping_from_dict

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


def _note_infinite(leads: pd.DataFrame, mapping: ColumnMapping) -> None:
    from scoring.fit.coverage import infinite_cells

    for column, count in infinite_cells(leads, mapping).items():
        _warn(f"'{column}' holds {count} infinite number(s), read as not answered")


def _metrics_table(result: BacktestResult) -> Table:
    table = Table(title=f"{result.folds}-fold cross-validation, {result.leads} leads")
    for column in ("model", "ROC AUC", "avg precision", "Brier"):
        table.add_column(column)
    for name, m in (("scorecard", result.scorecard), ("trees", result.baseline)):
        table.add_row(
            name, f"{m.roc_auc:.4f}", f"{m.average_precision:.4f}", f"{m.brier:.4f}"
        )
    return table


def _fit_and_backtest(
    frame: pd.DataFrame,
    y: np.ndarray,
    mapping: ColumnMapping,
    options: FitOptions,
    folds: int,
) -> tuple[FitResult, BacktestResult, float]:
    """The long part, under a spinner: the fit, then the backtest's folds."""
    from scoring.fit import backtest, fit_scorecard

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("fitting the scorecard", total=None)
        started = time.perf_counter()
        fitted = fit_scorecard(frame, y, mapping, options)
        seconds = time.perf_counter() - started
        progress.update(task, description="backtesting")
        result = backtest(
            frame, y, mapping, options, folds,
            lambda step: progress.update(task, description=f"backtest {step}"),
        )  # fmt: skip
    return fitted, result, seconds


@app.command()
def fit(
    csv: Annotated[Path, typer.Argument(help="CSV export of past leads")],
    mapping: Annotated[Path, typer.Option(help="column mapping YAML")],
    out: Annotated[Path, typer.Option(help="directory for the scorecard + report")],
    version: Annotated[str | None, typer.Option(help="scorecard version")] = None,
    folds: Annotated[int, typer.Option(min=2, help="backtest folds")] = 5,
    max_attributes: Annotated[
        int, typer.Option(min=1, help="rules at most (one contribution each)")
    ] = 8,
) -> None:
    """Fit a scorecard, backtest it and write scorecard.yml, report.md, PNGs."""
    with _one_line_errors():
        _check_out_dir(out)
        columns = _read_mapping(mapping)
        history = _read_csv(csv)
        from scoring.fit import FitOptions, outcome_vector, prepare
        from scoring.fit.backtest import check_folds
        from scoring.fit.explain import factors

        tag = version or f"{csv.stem}-fit-{date.today().isoformat()}"
        options = FitOptions(version=tag, max_attributes=max_attributes)
        y = outcome_vector(history, columns)
        check_folds(y, folds, options)
        frame = prepare(history, columns)
        _note_infinite(history, columns)
        fitted, result, seconds = _fit_and_backtest(frame, y, columns, options, folds)
        card_yaml = yaml.safe_dump(
            fitted.scorecard.to_dict(), sort_keys=False, allow_unicode=True
        )
        parse_rules(card_yaml, "fitted scorecard")  # the engine must accept it
        top = factors(fitted.scorecard, frame, y)
    header = f"# Fitted by 'dmql scoring fit' from {csv.name}; see report.md.\n"
    _write_fit(out, header + card_yaml, fitted, result, top, seconds)


def _write_fit(
    out: Path,
    card_yaml: str,
    fitted: FitResult,
    result: BacktestResult,
    top: list[Factor],
    seconds: float,
) -> None:
    """Write the scorecard, report and charts, and print what a reviewer needs."""
    from bot.fit_reports.charts import calibration_chart, factors_chart
    from bot.fit_reports.fit_report import left_out_line, render_report

    out.mkdir(parents=True, exist_ok=True)
    (out / "scorecard.yml").write_text(card_yaml, encoding="utf-8")
    report = render_report(fitted, result, top, seconds)
    (out / "report.md").write_text(report, encoding="utf-8")
    calibration_chart(result, out / "calibration.png")
    factors_chart(top, out / "factors.png")
    if fitted.left_out:
        console.print(left_out_line(fitted.left_out), highlight=False)
    console.print(_metrics_table(result))
    console.print(
        f"fit took {seconds:.1f} s; at most {result.max_contributions} "
        "contributions per lead"
    )
    console.print("[bold]Top factors[/bold]")
    for i, factor in enumerate(top, start=1):
        console.print(f"{i}. {factor.sentence}", highlight=False)
    console.print(f"wrote {out}/scorecard.yml, report.md, calibration.png, factors.png")


def _attributes(row: Mapping[str, Any]) -> dict[str, AttributeValue]:
    """A prepared row as the engine wants it: missing is None, numbers float."""
    import numpy as np

    out: dict[str, AttributeValue] = {}
    for key, value in row.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            out[key] = None
        elif isinstance(value, np.generic):
            out[key] = value.item()
        else:
            out[key] = value
    return out


def _check_fields(
    rules: ScoringRules, frame: pd.DataFrame, leads: pd.DataFrame, mapping: Path
) -> None:
    """Refuse a card whose fields the leads lack: it would score them all alike."""
    from scoring.fit.coverage import missing_fields

    missing = missing_fields(rules, frame.columns)
    if not missing:
        return
    in_csv = [name for name in missing if name in leads.columns]
    fix = (
        f"add {_names(in_csv)} to the mapping's profile or engagement"
        if in_csv
        else "predict with the mapping the scorecard was fitted with (its "
        "derived and left_blank count_as attributes come from it), or fit a "
        "scorecard on this CSV first"
    )
    raise _BadInput(
        f"the scorecard reads {_names(missing)}, which the CSV does not have "
        f"through mapping '{mapping}'; {fix}"
    )


def _warn_coverage(rules: ScoringRules, frame: pd.DataFrame) -> None:
    """Say what the card will score by default rather than by what it learnt."""
    from scoring.fit.coverage import event_sections, unlisted_values

    if sections := event_sections(rules):
        _warn(
            f"the scorecard's {' and '.join(sections)} rules score events and "
            "chat signals, which a CSV row does not hold; they add nothing here"
        )
    for found in unlisted_values(rules, frame):
        examples = ", ".join(f"'{e}'" for e in found.examples)
        _warn(
            f"{found.field}: {found.leads} lead(s) have a value the scorecard "
            f"does not list (e.g. {examples}); each gets its 'other' points "
            f"({found.points:g}): check for typos or refit"
        )


def _scored(
    rules: ScoringRules, frame: pd.DataFrame, leads: pd.DataFrame, ids: Iterable[str]
) -> pd.DataFrame:
    """The identifiers of each lead with its score, probability and reasons."""
    now = datetime.now(UTC)
    totals, probabilities, reasons = [], [], []
    for row in frame.to_dict(orient="records"):
        card = score(rules, LeadInput(attributes=_attributes(row)), now)
        totals.append(card.total)
        probabilities.append(card.probability)
        reasons.append(
            "; ".join(f"{c.reason} ({c.points:+g})" for c in card.contributions)
        )
    result = leads[[c for c in ids if c in leads.columns]].copy()
    result["score"] = totals
    result["probability"] = probabilities
    result["contributions"] = reasons
    result["model_version"] = rules.version
    return result


@app.command()
def predict(
    csv: Annotated[Path, typer.Argument(help="CSV of leads to score")],
    scorecard: Annotated[Path, typer.Option(help="scorecard YAML from 'fit'")],
    mapping: Annotated[Path, typer.Option(help="column mapping YAML")],
    out: Annotated[Path, typer.Option(help="CSV to write")],
) -> None:
    """Score every lead: total, probability and the contributions in words."""
    with _one_line_errors():
        _check_out_file(out, csv)
        columns = _read_mapping(mapping)
        rules = load_rules(scorecard)
        leads = _read_csv(csv)
        from scoring.fit import prepare

        frame = prepare(leads, columns)
        _check_fields(rules, frame, leads, mapping)
    _note_infinite(leads, columns)
    _warn_coverage(rules, frame)
    result = _scored(rules, frame, leads, columns.identifiers)
    try:
        result.to_csv(out, index=False)
    except OSError as exc:
        raise _fail(f"cannot write '{out}' ({exc.strerror}); check the path") from exc
    console.print(f"scored {len(result)} leads with {rules.version}; wrote {out}")


def _write_whole(
    out: Path, fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> int:
    """Write a CSV whole or not at all: a failure half-way leaves no file behind.

    Rows go to a temporary file next to `out`, renamed over it at the end
    (a rename within one directory is atomic). Like any temporary file it is
    readable by its owner only, which suits an export of lead data.
    """
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below)
            "w", newline="", encoding="utf-8", dir=out.parent,
            prefix=f".{out.name}.", suffix=".part", delete=False,
        )  # fmt: skip
    except OSError as exc:
        raise _BadInput(f"cannot write in '{out.parent}' ({exc.strerror})") from exc
    written = 0
    try:
        with handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames)
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                written += 1
        os.replace(handle.name, out)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return written


def _export_closed(out: Path) -> int:
    """Write the closed handoffs to `out`; database problems say the fix."""
    from bot.qualification import export

    try:
        engine = make_engine(get_settings().lead_database_url)
    except (SQLAlchemyError, OSError, ImportError) as exc:  # ImportError: no driver
        raise _BadInput(
            f"cannot open the lead database ({driver_cause(exc)}); "
            "check DMQL_DATABASE_URL"
        ) from exc
    try:
        if not inspect(engine).has_table(Handoff.__tablename__):
            raise _BadInput(
                "the lead database has no tables yet; run 'dmql db upgrade' "
                "first, or point DMQL_DATABASE_URL at the product's database"
            )
        sessions = make_session_factory(engine)
        return _write_whole(out, export.COLUMNS, export.rows(sessions))
    except SQLAlchemyError as exc:
        raise _BadInput(
            f"cannot read the lead database ({driver_cause(exc)}); check "
            "DMQL_DATABASE_URL and that the database is running, then run "
            "'dmql db upgrade'"
        ) from exc
    finally:
        engine.dispose()


@app.command("export")
def export_outcomes(
    out: Annotated[Path, typer.Argument(help="CSV file to write")],
) -> None:
    """Export closed handoffs (won, lost, rejected) to refit the scorecard.

    Then fit on it (OUT is this CSV, DIR a directory for the results):
    dmql scoring fit OUT --mapping examples/product/mapping.yml --out DIR
    """
    with _one_line_errors():
        _check_out_file(out)
        written = _export_closed(out)
    typer.echo(f"wrote {written} closed handoffs to {out}")
