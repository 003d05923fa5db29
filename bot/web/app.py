"""The web app: demo website, tracking and lead API, sales inbox.

Built by :func:`create_app` (uvicorn's ``--factory``), which reads settings,
loads the scoring rules (a broken rules file stops start-up with its fix) and
runs the outbox dispatcher in a background thread for the app's lifetime.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from bot.errors import InvalidInput, NotFound
from bot.handoff.outbox import Dispatcher
from bot.qualification import scorer
from bot.settings import Settings, get_settings
from bot.store.database import make_engine, make_session_factory
from bot.web import api, sales, site

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, *, dispatch: bool = True) -> FastAPI:
    """Build the app; ``dispatch=False`` leaves outbox delivery to the caller."""
    settings = settings or get_settings()
    rules = scorer.load(settings.rules_path)
    engine = make_engine(settings.lead_database_url)
    sessions = make_session_factory(engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = None
        client = httpx.Client(timeout=settings.webhook_timeout_s)
        if dispatch:
            dispatcher = Dispatcher(sessions, settings, client)
            task = asyncio.create_task(
                _dispatch_forever(dispatcher, settings.outbox_poll_s)
            )
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            client.close()
            engine.dispose()

    app = FastAPI(title="DMQL Bot", lifespan=lifespan)
    app.state.settings = settings
    app.state.rules = rules
    app.state.sessions = sessions
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(sales.router)
    app.include_router(site.router)

    @app.exception_handler(InvalidInput)
    async def _invalid(_request: Request, exc: InvalidInput) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


async def _dispatch_forever(dispatcher: Dispatcher, every_s: float) -> None:
    """Deliver due notifications every few seconds, surviving any one failure."""
    while True:
        try:
            await asyncio.to_thread(dispatcher.run_once)
        except Exception:
            log.exception("outbox dispatch failed; retrying in %.0fs", every_s)
        await asyncio.sleep(every_s)
