"""Engines, sessions and schema migrations of the lead store.

SQLite by default (one file in the data folder), PostgreSQL in production;
both are driven by the same Alembic migrations, so a schema change is one
revision file and `dmql db upgrade`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import ConfigError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout.

    Three processes share the SQLite file on a laptop (web app, action server,
    CLI), so writers wait for each other instead of failing at once.
    """
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded rows usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def _alembic() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`, by default the newest (idempotent)."""
    config = _alembic()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def driver_cause(exc: BaseException) -> str:
    """The driver's first line of an error: never the statement's parameters,
    which hold lead data."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0]}" if lines else type(cause).__name__


def require_current(engine: Engine) -> None:
    """Stop with the fix when the store is unreachable or not migrated.

    A command that reads the store on its own (`dmql rescore`) would
    otherwise end in a driver traceback.
    """
    head = ScriptDirectory.from_config(_alembic()).get_current_head()
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise ConfigError(
            f"cannot reach the lead store at {where} ({driver_cause(exc)}); "
            "check DMQL_DATABASE_URL and that the database is running"
        ) from None
    if current != head:
        state = "has no tables" if current is None else f"is at revision {current}"
        raise ConfigError(
            f"the lead store at {where} {state}; run `dmql db upgrade` first"
        )
