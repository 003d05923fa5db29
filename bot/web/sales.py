"""The sales inbox: every handoff, newest first, and each lead's full summary.

Reps read why a lead was handed over (the score card with every reason, the
engagement trail, the transcript) and record what they did with it. This is
an internal page: it loads neither the tracking snippet nor the chat widget,
and asks for the inbox password when one is set (:mod:`bot.web.inbox_auth`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import InvalidInput, NotFound
from bot.qualification import scorer
from bot.store.models import utcnow
from bot.web import inbox
from bot.web.inbox_auth import require_rep, same_origin
from bot.web.inbox_view import handoff_detail, handoff_row
from bot.web.site import BRIGHTLANE, templates

router = APIRouter(dependencies=[Depends(require_rep)])


def _sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def _problem(request: Request, status_code: int, message: str) -> HTMLResponse:
    """A readable error page for the rep (the JSON API has its own errors)."""
    return templates.TemplateResponse(
        request,
        "sales/problem.html",
        {"company": BRIGHTLANE, "status_code": status_code, "message": message},
        status_code=status_code,
    )


@router.get("/sales", response_class=HTMLResponse)
def inbox_page(request: Request, status: str | None = None) -> HTMLResponse:
    """All handoffs, newest first; ``?status=new`` shows one status only."""
    try:
        with _sessions(request)() as session:
            rows = [handoff_row(h) for h in inbox.list_handoffs(session, status=status)]
    except InvalidInput as exc:
        return _problem(request, 400, str(exc))
    return templates.TemplateResponse(
        request,
        "sales/list.html",
        {
            "company": BRIGHTLANE,
            "rows": rows,
            "status": status,
            "statuses": inbox.ALL_STATUSES,
        },
    )


@router.get("/sales/{handoff_id}", response_class=HTMLResponse)
def handoff_page(request: Request, handoff_id: str) -> HTMLResponse:
    """One lead's summary: who, why now, score card, engagement, transcript."""
    try:
        with _sessions(request)() as session:
            detail = handoff_detail(inbox.get_handoff(session, handoff_id))
    except NotFound as exc:
        return _problem(request, 404, str(exc))
    return templates.TemplateResponse(
        request,
        "sales/detail.html",
        {
            "company": BRIGHTLANE,
            "detail": detail,
            "rep_statuses": inbox.REP_STATUSES,
        },
    )


@router.post(
    "/sales/{handoff_id}/status",
    response_model=None,
    dependencies=[Depends(same_origin)],
)
def update_status(
    request: Request, handoff_id: str, status: Annotated[str, Form()] = ""
) -> RedirectResponse | HTMLResponse:
    """Record accepted, rejected, won or lost, then go back to the summary."""
    try:
        with _sessions(request).begin() as session:
            handoff = inbox.set_status(session, handoff_id, status)
            # Accepted, won or lost makes the lead an SQL: its card says so.
            scorer.rescore(session, request.app.state.rules, handoff.lead, utcnow())
    except NotFound as exc:
        return _problem(request, 404, str(exc))
    except InvalidInput as exc:
        return _problem(request, 400, str(exc))
    return RedirectResponse(
        request.url_for("handoff_page", handoff_id=handoff_id).path,
        status_code=303,
    )
