"""Fixtures shared by every test: lead stores on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.schema import CreateSchema, DropSchema

from bot.store.database import make_engine, make_session_factory, upgrade
from tests.services import POSTGRES_URL, need


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database (no tables yet) on each backend.

    PostgreSQL tests get a schema of their own, dropped afterwards, so runs
    never see each other's rows.
    """
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'leads.db'}")
        yield made
        made.dispose()
        return
    url = make_url(POSTGRES_URL)
    need("PostgreSQL", url.host or "127.0.0.1", url.port or 5432)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(CreateSchema(schema))
    made = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield made
    finally:
        made.dispose()
        with admin.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture
def engine(blank_engine: Engine) -> Engine:
    """A migrated, empty lead store on each backend."""
    upgrade(blank_engine)
    return blank_engine


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the migrated store."""
    return make_session_factory(engine)
