"""The sales inbox: list, summary and status of handoffs stored through the ORM."""

from __future__ import annotations

import html as html_lib
import re
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import StarletteDeprecationWarning

from bot.errors import InvalidInput, NotFound
from bot.handoff.summary import format_points
from bot.settings import PROJECT_ROOT, Settings
from bot.store.models import Handoff, Lead
from bot.web import inbox, inbox_view, sales, site
from bot.web.inbox_view import format_age
from scoring import load_rules

with warnings.catch_warnings():
    # Starlette asks for the httpx2 fork for its test client; the app pins
    # httpx, which the test client still drives the same way.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


def full_payload(**overrides: Any) -> dict[str, Any]:
    """A handoff payload with every section filled, as the webhook carries it."""
    payload: dict[str, Any] = {
        "type": "lead.qualified",
        "visitor_id": "v_3f2a0000",
        "lead": {
            "name": "Dana Lee",
            "email": "dana@acme.io",
            "company": "Acme",
            "job_title": "VP of Marketing",
            "company_size": 500,
            "industry": "software",
            "country": "US",
            "use_case": "attribution across channels",
            "timeline": "this quarter",
            "budget": "$40k",
            "decision_maker": True,
            "consent": True,
            "timeline_months": 2,
            "budget_amount": 40000.0,
            "budget_currency": "USD",
        },
        "score": {
            "total": 78,
            "fit": 52.0,
            "engagement": 26.0,
            "grade": "A",
            "level": 3,
            "stage": "dmql",
            "version": "v1",
            "probability": None,
        },
        "reasons": [
            {
                "rule": "seniority",
                "source": "fit",
                "points": 18.0,
                "reason": "VP of Marketing: senior buyer",
            },
            {
                "rule": "decay",
                "source": "engagement",
                "points": -2.5,
                "reason": "Last visit 9 days ago",
            },
        ],
        "engagement": {
            "visits": 4,
            "page_views": 11,
            "top_pages": [{"path": "/pricing", "views": 3}],
            "downloads": ["ebook"],
            "webinars": [],
            "newsletter": True,
            "chat_messages": 9,
            "first_seen": "2026-11-25T10:00:00+00:00",
            "text": "4 visits in 9 days; pricing page 3 times.",
        },
        "summary": {
            "headline": "Dana Lee, VP of Marketing at Acme (500 people)",
            "why_now": "Buying this quarter with a $40k budget.",
            "next_step": "Email dana@acme.io today.",
        },
        "transcript": [
            {"speaker": "visitor", "text": "hi", "at": "2026-12-04T20:30:00+00:00"},
            {"speaker": "bot", "text": "Hello! How can I help?", "at": None},
        ],
    }
    payload.update(overrides)
    return payload


def make_handoff(
    sessions: sessionmaker[Session],
    *,
    payload: dict[str, Any] | None = None,
    kind: str = "lead.qualified",
    status: str = "new",
    age: timedelta = timedelta(minutes=12),
    lead: Lead | None = None,
    visitor_id: str = "v_3f2a0000",
) -> str:
    """Store a lead and its handoff the way the handoff service would."""
    with sessions.begin() as session:
        lead = lead or Lead(name="Dana Lee", email="dana@acme.io")
        session.add(lead)
        session.flush()
        handoff = Handoff(
            lead_id=lead.id,
            conversation_id=f"conv-{lead.id}",
            visitor_id=visitor_id,
            type=kind,
            status=status,
            # Ages are relative to when the test runs, not to when it was collected.
            created_at=datetime.now(UTC) - age,
            payload=full_payload() if payload is None else payload,
        )
        session.add(handoff)
        session.flush()
        return handoff.id


def make_client(
    sessions: sessionmaker[Session], settings: Settings | None = None
) -> TestClient:
    """A minimal app with the inbox and the site routers on the test store."""
    app = FastAPI()
    app.state.settings = settings or Settings()
    app.state.sessions = sessions
    app.state.rules = load_rules(PROJECT_ROOT / "scoring.yml")
    app.include_router(site.router)
    app.include_router(sales.router)
    return TestClient(app)


def text_of(page: str) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html_lib.unescape(without_tags))


def test_empty_inbox_says_what_will_appear(sessions: sessionmaker[Session]) -> None:
    response = make_client(sessions).get("/sales")

    assert response.status_code == 200
    assert "No handoffs yet" in response.text


def test_inbox_lists_handoffs_newest_first_with_score_and_type(
    sessions: sessionmaker[Session],
) -> None:
    oldest = make_handoff(
        sessions,
        age=timedelta(days=3),
        status="won",
        lead=Lead(name="Sam Ortiz"),
        payload={"type": "lead.qualified", "lead": {"name": "Sam Ortiz"}},
    )
    newest = make_handoff(sessions, age=timedelta(minutes=12))
    middle = make_handoff(
        sessions,
        age=timedelta(hours=5),
        kind="lead.human_requested",
        lead=Lead(),
        visitor_id="v_anon0001",
        payload={"type": "lead.human_requested", "lead": None, "score": None},
    )

    page = make_client(sessions).get("/sales").text

    positions = [page.index(f'href="/sales/{h}"') for h in (newest, middle, oldest)]
    assert positions == sorted(positions)
    text = text_of(page)
    assert "Dana Lee VP of Marketing at Acme (500 people)" in text
    assert "A Level 3 DMQL 78 points Qualified New 12 min ago" in text
    assert "Anonymous visitor v_anon0001" in text
    assert "Asked for a human New 5 h ago" in text
    assert "Sam Ortiz" in text
    assert "Won 3 d ago" in text


def test_inbox_filters_by_status(sessions: sessionmaker[Session]) -> None:
    won = make_handoff(sessions, status="won")
    fresh = make_handoff(sessions, status="new")
    client = make_client(sessions)

    page = client.get("/sales", params={"status": "won"}).text

    assert f"/sales/{won}" in page
    assert f"/sales/{fresh}" not in page
    assert '<a href="/sales?status=won" aria-current="page">' in page


def test_inbox_rejects_an_unknown_status_filter(
    sessions: sessionmaker[Session],
) -> None:
    response = make_client(sessions).get("/sales", params={"status": "hot"})

    assert response.status_code == 400
    assert "Unknown status &#39;hot&#39;" in response.text


def test_summary_shows_who_why_now_score_card_engagement_and_transcript(
    sessions: sessionmaker[Session],
) -> None:
    handoff_id = make_handoff(sessions)

    response = make_client(sessions).get(f"/sales/{handoff_id}")

    assert response.status_code == 200
    text = text_of(response.text)
    assert "Dana Lee VP of Marketing at Acme (500 people)" in text
    assert "Why now Buying this quarter with a $40k budget." in text
    assert "Next step: Email dana@acme.io today." in text
    assert "78 points · fit 52 · engagement 26 · rules v1" in text
    assert "+18 · VP of Marketing: senior buyer fit" in text
    assert "−2.5 · Last visit 9 days ago engagement" in text
    assert "Budget $40k (40,000 USD)" in text
    assert "Timeline this quarter (about 2 months)" in text
    assert "Decision maker Yes" in text
    assert "4 visits in 9 days; pricing page 3 times." in text
    assert "Visits 4 Page views 11 Chat messages 9" in text
    assert "Downloads ebook" in text
    assert "First seen 25 Nov 2026, 10:00 UTC" in text
    assert "/pricing 3 views" in text
    assert "Visitor hi 4 Dec 2026, 20:30 UTC Assistant Hello! How can I help?" in text
    assert 'href="mailto:dana@acme.io"' in response.text
    # Internal page: the rep is not tracked and gets no chat widget.
    assert "tracking.js" not in response.text
    assert "widget.js" not in response.text


def test_summary_of_a_lead_who_said_little_still_renders(
    sessions: sessionmaker[Session],
) -> None:
    handoff_id = make_handoff(
        sessions,
        kind="lead.human_requested",
        lead=Lead(),
        visitor_id="v_quiet001",
        payload={
            "type": "lead.human_requested",
            "lead": None,
            "score": None,
            "reasons": None,
            "engagement": {"top_pages": None, "downloads": [None]},
            "summary": {"headline": None},
            "transcript": [{"speaker": "visitor"}, "garbage"],
        },
    )

    response = make_client(sessions).get(f"/sales/{handoff_id}")

    assert response.status_code == 200
    text = text_of(response.text)
    assert "Anonymous visitor v_quiet001" in text
    assert "Asked for a human" in text
    assert "No summary for this lead yet" in text
    assert "The visitor gave no details yet." in text
    assert "No engagement recorded for this visitor." in text
    assert "No transcript was attached to this handoff." in text


def test_summary_falls_back_to_the_lead_row(sessions: sessionmaker[Session]) -> None:
    lead = Lead(
        name="Ana Ruiz",
        email="ana@octave.example",
        job_title="CMO",
        score_total=61,
        grade="B",
        level=2,
        stage="mql",
        score_reasons=[{"points": 20, "reason": "CMO: economic buyer"}],
    )
    handoff_id = make_handoff(sessions, lead=lead, payload={})

    text = text_of(make_client(sessions).get(f"/sales/{handoff_id}").text)

    assert "Ana Ruiz" in text
    assert "B Level 2 MQL 61 points" in text
    assert "+20 · CMO: economic buyer" in text
    assert "Email ana@octave.example" in text


def test_a_foreign_budget_shows_as_said_and_as_scored(
    sessions: sessionmaker[Session],
) -> None:
    payload = full_payload()
    payload["lead"] |= {
        "budget": "40.000 € a year",
        "budget_amount": 40000.0,
        "budget_currency": "EUR",
        "budget_base": 44688.0,
        "budget_base_currency": "USD",
    }
    handoff_id = make_handoff(sessions, payload=payload)

    text = text_of(make_client(sessions).get(f"/sales/{handoff_id}").text)

    assert "Budget 40.000 € a year (40,000 EUR ≈ 44,688 USD)" in text


def test_visitor_text_is_escaped(sessions: sessionmaker[Session]) -> None:
    evil = "<script>alert('x')</script>"
    payload = full_payload(
        transcript=[{"speaker": "visitor", "text": evil}],
        summary={"headline": evil, "why_now": evil},
    )
    handoff_id = make_handoff(sessions, payload=payload, lead=Lead(name=evil))
    client = make_client(sessions)

    for page in (client.get("/sales").text, client.get(f"/sales/{handoff_id}").text):
        assert "<script>" not in page
        assert "&lt;script&gt;" in page


def test_unknown_handoff_is_404(sessions: sessionmaker[Session]) -> None:
    response = make_client(sessions).get("/sales/nope")

    assert response.status_code == 404
    assert "No handoff with id &#39;nope&#39;" in response.text


@pytest.mark.parametrize("status", ["accepted", "rejected", "won", "lost"])
def test_rep_sets_a_status_and_returns_to_the_summary(
    sessions: sessionmaker[Session], status: str
) -> None:
    handoff_id = make_handoff(sessions)
    client = make_client(sessions)

    response = client.post(
        f"/sales/{handoff_id}/status", data={"status": status}, follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/sales/{handoff_id}"
    with sessions() as session:
        assert session.get(Handoff, handoff_id).status == status  # type: ignore[union-attr]
    page = client.get(response.headers["location"]).text
    assert f'<span class="status status-{status}">{status.capitalize()}</span>' in page
    assert f'value="{status}" aria-pressed="true"' in page


@pytest.mark.parametrize(
    ("status", "is_sql"),
    [("accepted", True), ("won", True), ("lost", True), ("rejected", False)],
)
def test_a_lead_sales_accepts_becomes_an_sql(
    sessions: sessionmaker[Session], status: str, is_sql: bool
) -> None:
    handoff_id = make_handoff(sessions)
    make_client(sessions).post(f"/sales/{handoff_id}/status", data={"status": status})
    with sessions() as session:
        lead = session.get_one(Handoff, handoff_id).lead
        assert (lead.stage == "sql") is is_sql
        assert lead.score_version is not None


@pytest.mark.parametrize("data", [{"status": "hot"}, {"status": "new"}, {}])
def test_bad_status_is_400_and_changes_nothing(
    sessions: sessionmaker[Session], data: dict[str, str]
) -> None:
    handoff_id = make_handoff(sessions)

    response = make_client(sessions).post(f"/sales/{handoff_id}/status", data=data)

    assert response.status_code == 400
    assert "Status must be one of accepted, rejected, won, lost" in response.text
    with sessions() as session:
        assert session.get(Handoff, handoff_id).status == "new"  # type: ignore[union-attr]


def test_status_of_unknown_handoff_is_404(sessions: sessionmaker[Session]) -> None:
    response = make_client(sessions).post(
        "/sales/nope/status", data={"status": "accepted"}
    )

    assert response.status_code == 404


def test_list_handoffs_honours_the_limit(sessions: sessionmaker[Session]) -> None:
    ids = [make_handoff(sessions, age=timedelta(minutes=m)) for m in (1, 2, 3)]

    with sessions() as session:
        listed = [h.id for h in inbox.list_handoffs(session, limit=2)]

    assert listed == ids[:2]


def test_inbox_queries_raise_the_app_errors(sessions: sessionmaker[Session]) -> None:
    handoff_id = make_handoff(sessions)

    with sessions() as session:
        with pytest.raises(NotFound, match="no handoff with id 'nope'"):
            inbox.get_handoff(session, "nope")
        with pytest.raises(InvalidInput, match="got 'maybe'"):
            inbox.set_status(session, handoff_id, "maybe")
        with pytest.raises(InvalidInput, match="unknown status"):
            inbox.list_handoffs(session, status="maybe")


@pytest.mark.parametrize(
    ("points", "shown"),
    [(18.0, "+18"), (2.5, "+2.5"), (-5, "−5"), (0, "0"), (-0.25, "−0.2")],
)
def test_points_read_like_a_score_card(points: float, shown: str) -> None:
    assert format_points(points) == shown


@pytest.mark.parametrize(
    ("ago", "shown"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=59), "59 min ago"),
        (timedelta(hours=2), "2 h ago"),
        (timedelta(days=29), "29 d ago"),
        (timedelta(days=45), "20 Oct 2026"),
        (-timedelta(minutes=1), "just now"),
    ],
)
def test_age_reads_like_an_inbox(ago: timedelta, shown: str) -> None:
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

    assert format_age(now - ago, now) == shown


PASSWORD = "correct horse battery"


def test_with_a_password_the_inbox_asks_for_it(sessions: sessionmaker[Session]) -> None:
    handoff_id = make_handoff(sessions)
    client = make_client(sessions, Settings(inbox_password=PASSWORD))
    for path in ("/sales", f"/sales/{handoff_id}"):
        refused = client.get(path)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Basic")
        assert "Dana" not in refused.text
        assert client.get(path, auth=("ana", "wrong password!")).status_code == 401
        allowed = client.get(path, auth=("ana", PASSWORD))
        assert allowed.status_code == 200
        assert "Dana" in allowed.text
    posted = client.post(f"/sales/{handoff_id}/status", data={"status": "accepted"})
    assert posted.status_code == 401
    with sessions() as session:
        assert session.get(Handoff, handoff_id).status == "new"  # type: ignore[union-attr]


def test_a_status_change_from_another_site_is_refused(
    sessions: sessionmaker[Session],
) -> None:
    handoff_id = make_handoff(sessions)
    client = make_client(sessions)
    forged = client.post(
        f"/sales/{handoff_id}/status",
        data={"status": "rejected"},
        headers={"origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    own = client.post(
        f"/sales/{handoff_id}/status",
        data={"status": "accepted"},
        headers={"origin": "http://testserver"},
        follow_redirects=False,
    )
    assert own.status_code == 303
    with sessions() as session:
        assert session.get(Handoff, handoff_id).status == "accepted"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "values",
    [
        {"host": "0.0.0.0"},  # noqa: S104 - the case under test
        {"public_web_url": "https://sales.brightlane.example"},
        {"host": "0.0.0.0", "inbox_password": "short"},  # noqa: S104
    ],
)
def test_an_inbox_other_machines_reach_needs_a_password(values: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=r"INBOX_PASSWORD|at least 12"):
        Settings(**values)


@pytest.mark.parametrize(
    ("months", "said"),
    [(0, "now"), (1, "about 1 month"), (6, "about 6 months")],
)
def test_a_timeline_is_said_in_plain_words(months: int, said: str) -> None:
    assert inbox_view._months_away(months) == said
