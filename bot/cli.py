"""The ``dmql`` command line: run the product, manage its store.

Every command turns an application error into one line on stderr and exit
code 2, never a traceback for a mistake the operator can fix.
"""

from __future__ import annotations

import base64
import logging
import secrets
import sys
import time

import typer
from rich.progress import MofNCompleteColumn, Progress

from bot import runner, scoring_cli
from bot.designer import checks
from bot.errors import ConfigError, DmqlError
from bot.qualification import nightly, rule_versions, scorer
from bot.qualification import rescore as bulk
from bot.settings import PROJECT_ROOT, get_settings
from bot.store.database import (
    make_engine,
    make_session_factory,
    require_current,
    upgrade,
)
from bot.store.models import utcnow

app = typer.Typer(help="DMQL Bot: conversational lead qualifier.", no_args_is_help=True)
db_app = typer.Typer(help="The lead store.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(scoring_cli.app, name="scoring", help="Fit and apply scorecards.")


@app.command()
def run() -> None:
    """Start the Rasa server, the action server and the web app."""
    settings = get_settings()
    engine = make_engine(settings.lead_database_url)
    upgrade(engine)
    rules = scorer.load(settings.rules_path)
    rule_versions.register(make_session_factory(engine), rules, settings.rules_path)
    raise typer.Exit(runner.run(settings))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the lead store's tables to the newest schema."""
    settings = get_settings()
    upgrade(make_engine(settings.lead_database_url))
    typer.echo(
        f"lead store is up to date ({settings.lead_database_url.split('://')[0]})"
    )


@app.command()
def rescore(
    daily: bool = typer.Option(
        False,
        "--daily",
        help="Keep running: re-score now if the rules changed, then every day "
        "at DMQL_RESCORE_AT (UTC). `dmql run` starts this.",
    ),
) -> None:
    """Re-score every lead (nightly for decay, or after a rules change)."""
    settings = get_settings()
    rules = scorer.load(settings.rules_path)
    engine = make_engine(settings.lead_database_url)
    require_current(engine)
    sessions = make_session_factory(engine)
    rule_versions.register(sessions, rules, settings.rules_path)
    if daily:
        if settings.rescore_at is None:
            raise ConfigError("DMQL_RESCORE_AT is off: set a time such as 03:00")
        nightly.run_daily(sessions, rules, settings.rescore_at, utcnow, time.sleep)
        return
    total = bulk.count(sessions)
    columns = (*Progress.get_default_columns(), MofNCompleteColumn())
    with Progress(*columns) as progress:
        task = progress.add_task(f"Re-scoring with rules {rules.version}", total=total)
        stages = bulk.rescore_all(
            sessions, rules, utcnow(), lambda done: progress.advance(task, done)
        )
    summary = ", ".join(f"{stage} {n}" for stage, n in sorted(stages.items()))
    typer.echo(f"re-scored {total} leads with rules {rules.version}: {summary or '-'}")


@app.command()
def validate() -> None:
    """Check the domain, lookup tables and scoring rules designers edit."""
    problems = checks.check(checks.Project(PROJECT_ROOT))
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found", err=True)
        raise typer.Exit(1)
    typer.echo("domain, lookup tables and scoring rules are consistent")


@app.command("webhook-secret")
def webhook_secret() -> None:
    """Print a new secret for DMQL_WEBHOOK_SECRET (Standard Webhooks format)."""
    typer.echo("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode())


def main() -> None:
    """Entry point of the ``dmql`` script."""
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        app()
    except DmqlError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
