"""Who may open the sales inbox: reps with the password, over HTTP Basic.

The inbox shows every lead's name, email and chat. With
``DMQL_INBOX_PASSWORD`` set, every inbox page asks for it (any user name: the
rep's own); the comparison takes the same time whatever was typed. Without a
password the inbox is only for this machine, so start-up refuses a public
bind address or a public inbox link without one (:mod:`bot.settings`). A
change of status must come from the inbox's own pages (same origin), so
another site can't make a logged-in rep's browser accept a lead.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from bot.settings import Settings

_basic = HTTPBasic(realm="DMQL sales inbox", auto_error=False)


def require_rep(
    request: Request,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
) -> None:
    """Let the request through, or answer 401 asking for the inbox password."""
    settings: Settings = request.app.state.settings
    expected = settings.inbox_password
    if expected is None:
        return
    given = credentials.password if credentials is not None else ""
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status_code=401,
            detail="the sales inbox needs its password (DMQL_INBOX_PASSWORD)",
            headers={"WWW-Authenticate": 'Basic realm="DMQL sales inbox"'},
        )


def same_origin(request: Request) -> None:
    """Refuse a form post another site made the rep's browser send."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        return  # not a browser form (curl, tests): nothing to forge
    settings: Settings = request.app.state.settings
    allowed = {_origin(str(request.base_url))}
    if settings.public_web_url:
        allowed.add(_origin(settings.public_web_url))  # behind a proxy
    if _origin(origin) not in allowed:
        raise HTTPException(
            status_code=403,
            detail="a status change must come from the sales inbox itself",
        )


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
