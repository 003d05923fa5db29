"""The services the actions call, built lazily once per process.

rasa-sdk imports every module of this package and builds each action with no
arguments, so nothing here connects or loads at import time. Tests inject a
service with :func:`use`.
"""

from __future__ import annotations

from functools import lru_cache

from bot.handoff.outbox import channels
from bot.qualification import scorer
from bot.qualification.service import QualificationService
from bot.settings import get_settings
from bot.store.database import make_engine, make_session_factory

_override: QualificationService | None = None


@lru_cache(maxsize=1)
def _build() -> QualificationService:
    settings = get_settings()
    engine = make_engine(settings.lead_database_url)
    return QualificationService(
        make_session_factory(engine),
        scorer.load(settings.rules_path),
        channels(settings),
    )


def qualification() -> QualificationService:
    """The process's qualification service."""
    return _override or _build()


def use(service: QualificationService | None) -> None:
    """Replace the service (tests); ``None`` goes back to the real one."""
    global _override
    _override = service
