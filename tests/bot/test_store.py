"""The lead store on SQLite and PostgreSQL: visitors, stitching, events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import DateTime, bindparam, func, inspect, select, text

from bot.engagement.events import EventBatch, record
from bot.errors import ConfigError, InvalidInput, NotFound
from bot.store import leads
from bot.store.database import (
    make_engine,
    make_session_factory,
    require_current,
    upgrade,
)
from bot.store.models import Event, Lead, Visitor

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def make_batch(visitor_id: str = "v-1", **overrides: object) -> EventBatch:
    event = {
        "event_id": "e-1",
        "type": "page_view",
        "occurred_at": "2026-12-04T11:00:00Z",
        "properties": {"path": "/pricing", "session_id": "s-1"},
    }
    event.update(overrides)
    return EventBatch.model_validate({"visitor_id": visitor_id, "events": [event]})


def test_first_sight_of_a_visitor_creates_its_lead(sessions) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        again = leads.lead_for_visitor(session, "v-1")
        assert lead.id == again.id
        assert lead.stage == "visitor"
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 1


def test_unknown_visitor_is_not_found(sessions) -> None:
    with sessions.begin() as session, pytest.raises(NotFound, match="no visitor"):
        leads.find_lead(session, "nobody")


@pytest.mark.parametrize("bad", ["", "x" * 65, "vïsitor", "v\n1"])
def test_malformed_visitor_ids_are_rejected(sessions, bad: str) -> None:
    with sessions.begin() as session, pytest.raises(InvalidInput, match="visitor_id"):
        leads.lead_for_visitor(session, bad)


def test_unknown_field_is_rejected_and_nothing_changes(sessions) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(session, lead, {"name": "Dana"})
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        with pytest.raises(InvalidInput, match="unknown lead fields: shoe_size"):
            leads.update_fields(session, lead, {"name": "Eve", "shoe_size": 9})
        assert lead.name == "Dana"


def test_same_email_stitches_visitors_and_their_events(sessions) -> None:
    with sessions.begin() as session:
        record(session, make_batch("v-laptop"), NOW)
        laptop = leads.lead_for_visitor(session, "v-laptop")
        leads.update_fields(session, laptop, {"email": "dana@acme.io", "name": "Dana"})
    with sessions.begin() as session:
        record(session, make_batch("v-phone", event_id="e-2"), NOW)
        phone = leads.lead_for_visitor(session, "v-phone")
        merged = leads.update_fields(
            session, phone, {"email": "dana@acme.io", "company": "Acme"}
        )
        assert merged.id == laptop.id
        assert merged.name == "Dana"
        assert merged.company == "Acme"
        assert {v.id for v in merged.visitors} == {"v-laptop", "v-phone"}
        assert len(leads.events_of(session, merged)) == 2


def test_a_retried_batch_stores_each_event_once(sessions) -> None:
    with sessions.begin() as session:
        _, first = record(session, make_batch(), NOW)
    with sessions.begin() as session:
        _, second = record(session, make_batch(), NOW)
        assert (first, second) == (1, 0)
        assert session.scalar(select(func.count()).select_from(Event)) == 1


def test_future_events_are_rejected_whole(sessions) -> None:
    future = (NOW + timedelta(days=1)).isoformat()
    with sessions.begin() as session, pytest.raises(InvalidInput, match="future"):
        record(session, make_batch(occurred_at=future), NOW)
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Visitor)) == 0


def test_form_fields_go_to_the_lead_not_the_event(sessions) -> None:
    batch = make_batch(
        type="content_download",
        properties={"asset": "ebook", "name": "Dana Lee", "email": "dana@acme.io"},
    )
    with sessions.begin() as session:
        lead, _ = record(session, batch, NOW)
        assert (lead.name, lead.email) == ("Dana Lee", "dana@acme.io")
        (event,) = leads.events_of(session, lead)
        assert event.properties == {"asset": "ebook"}


def test_a_forms_job_title_and_email_are_read_as_the_chat_reads_them(
    sessions,
) -> None:
    batch = make_batch(
        type="form_submit",
        properties={
            "form": "webinar-registration",
            "job_title": "Marketing Director",
            "email": "G.Moreau@atelier-numerique.fr",
        },
    )
    with sessions.begin() as session:
        lead, _ = record(session, batch, NOW)
        assert (lead.seniority, lead.department) == ("director", "marketing")
        assert lead.email == "g.moreau@atelier-numerique.fr"
        assert lead.email_domain_kind == "business"


def test_a_forms_unreadable_email_is_kept_as_given(sessions) -> None:
    batch = make_batch(type="form_submit", properties={"email": "dana at acme"})
    with sessions.begin() as session:
        lead, _ = record(session, batch, NOW)
        assert (lead.email, lead.email_domain_kind) == ("dana at acme", None)


def test_a_forms_unreadable_job_title_loses_no_event(sessions) -> None:
    batch = make_batch(
        type="form_submit",
        properties={"form": "contact", "job_title": "-", "name": "Dana\nLee"},
    )
    with sessions.begin() as session:
        lead, stored = record(session, batch, NOW)
        assert stored == 1
        assert (lead.job_title, lead.seniority) == ("-", None)
        assert lead.name == "Dana Lee", "a form's line break is not kept"


def test_timestamps_come_back_timezone_aware(sessions) -> None:
    with sessions.begin() as session:
        record(session, make_batch(), NOW)
    with sessions.begin() as session:
        (event,) = session.scalars(select(Event))
        assert event.occurred_at == datetime(2026, 12, 4, 11, 0, tzinfo=UTC)


def test_the_budget_base_migration_keeps_every_lead(blank_engine) -> None:
    upgrade(blank_engine, "0002")
    with blank_engine.begin() as conn:
        for n, (amount, currency) in enumerate([(40000.0, "EUR"), (None, None)]):
            conn.execute(
                text(
                    "INSERT INTO leads (id, created_at, updated_at, email, budget,"
                    " budget_amount, budget_currency, signals, score_total,"
                    " score_fit, score_engagement, grade, level, stage,"
                    " score_reasons) VALUES (:id, :at, :at, :email, :budget,"
                    " :amount, :currency, '[]', 41, 20.0, 21.0, 'B', 3, 'mql',"
                    " '[]')"
                ).bindparams(bindparam("at", type_=DateTime(timezone=True))),
                {
                    "id": f"lead-{n}",
                    "at": NOW,
                    "email": f"p{n}@acme.io",
                    "budget": "40.000 € a year" if amount else None,
                    "amount": amount,
                    "currency": currency,
                },
            )

    upgrade(blank_engine)

    columns = {c["name"] for c in inspect(blank_engine).get_columns("leads")}
    assert {"budget_base", "budget_base_currency"} <= columns
    with make_session_factory(blank_engine).begin() as session:
        stored = {lead.id: lead for lead in session.scalars(select(Lead))}
        assert sorted(stored) == ["lead-0", "lead-1"]
        kept = stored["lead-0"]
        assert (kept.email, kept.budget, kept.budget_amount) == (
            "p0@acme.io",
            "40.000 € a year",
            40000.0,
        )
        assert (kept.budget_currency, kept.score_total, kept.stage) == (
            "EUR",
            41,
            "mql",
        )
        assert kept.budget_base is None  # filled when the lead is next scored


def test_stitching_fills_blanks_and_changes_no_known_answer(sessions) -> None:
    with sessions.begin() as session:
        first = leads.lead_for_visitor(session, "v-first")
        leads.update_fields(
            session,
            first,
            {"email": "sam@globex.com", "name": "Sam", "company_size": 300},
        )
    with sessions.begin() as session:
        other = leads.lead_for_visitor(session, "v-other")
        leads.update_fields(session, other, {"name": "Chris", "job_title": "Director"})
        merged = leads.update_fields(session, other, {"email": "sam@globex.com"})
        assert (merged.name, merged.company_size) == ("Sam", 300)
        assert merged.job_title == "Director"


def test_a_store_without_tables_says_to_upgrade_it(blank_engine) -> None:
    with pytest.raises(ConfigError, match=r"has no tables; run `dmql db upgrade`"):
        require_current(blank_engine)
    upgrade(blank_engine, "0001")
    with pytest.raises(ConfigError, match="is at revision 0001; run `dmql db"):
        require_current(blank_engine)
    upgrade(blank_engine)
    require_current(blank_engine)


def test_an_unreachable_store_is_named_without_its_password() -> None:
    engine = make_engine("postgresql+psycopg://dmql:s3cret@127.0.0.1:9/leads")
    with pytest.raises(ConfigError, match="cannot reach the lead store") as caught:
        require_current(engine)
    assert "s3cret" not in str(caught.value)
    assert "DMQL_DATABASE_URL" in str(caught.value)
