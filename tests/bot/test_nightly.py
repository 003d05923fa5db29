"""The daily re-score `dmql run` keeps: when it runs, and that it outlives a
store that is down."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from bot.errors import ConfigError
from bot.qualification import nightly, rescore, scorer
from bot.settings import PROJECT_ROOT, get_settings
from bot.store import leads
from bot.store.models import Lead

THREE = time(3, 0)


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.slept: list[datetime] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.slept.append(self.now)


def add_leads(sessions, count: int) -> None:
    with sessions.begin() as session:
        for n in range(count):
            leads.update_fields(
                session, leads.lead_for_visitor(session, f"v{n}"), {"name": "Dana"}
            )


def versions(sessions) -> list[str | None]:
    with sessions() as session:
        return list(session.scalars(select(Lead.score_version)))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            datetime(2026, 12, 5, 1, 0, tzinfo=UTC),
            datetime(2026, 12, 5, 3, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 12, 5, 3, 0, tzinfo=UTC),
            datetime(2026, 12, 6, 3, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 12, 31, 3, 1, tzinfo=UTC),
            datetime(2027, 1, 1, 3, 0, tzinfo=UTC),
        ),
    ],
)
def test_the_next_run_is_the_next_time_of_day_strictly_after_now(
    now: datetime, expected: datetime
) -> None:
    assert nightly.next_run(now, THREE) == expected


def scored_under(sessions, version: str) -> None:
    with sessions.begin() as session:
        session.execute(update(Lead).values(score_version=version))


def test_changed_rules_are_applied_at_once_then_every_night(sessions) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    add_leads(sessions, 2)
    scored_under(sessions, "v2")
    clock = FakeClock(datetime(2026, 12, 5, 14, 0, tzinfo=UTC))
    assert nightly.scored_under_other_rules(sessions, rules.version) == 2

    nightly.run_daily(sessions, rules, THREE, clock, clock.sleep, days=3)

    assert versions(sessions) == [rules.version] * 2
    # Re-scored on start (no wait), then at 03:00 on the next two days.
    assert clock.slept == [
        datetime(2026, 12, 6, 3, 0, tzinfo=UTC),
        datetime(2026, 12, 7, 3, 0, tzinfo=UTC),
    ]


def test_leads_scored_under_these_rules_wait_for_the_night(sessions) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    add_leads(sessions, 1)
    rescore.rescore_all(sessions, rules, datetime(2026, 12, 5, tzinfo=UTC))
    with sessions.begin() as session:
        session.execute(update(Lead).values(score_total=99))
    clock = FakeClock(datetime(2026, 12, 5, 14, 0, tzinfo=UTC))

    nightly.run_daily(sessions, rules, THREE, clock, clock.sleep, days=1)

    assert clock.slept == [datetime(2026, 12, 6, 3, 0, tzinfo=UTC)]
    with sessions() as session:
        assert session.scalar(select(Lead.score_total)) != 99


def test_leads_never_scored_are_no_sign_of_changed_rules(sessions) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    add_leads(sessions, 3)  # visitors who opened the chat and left
    assert nightly.scored_under_other_rules(sessions, rules.version) == 0
    clock = FakeClock(datetime(2026, 12, 5, 14, 0, tzinfo=UTC))
    nightly.run_daily(sessions, rules, THREE, clock, clock.sleep, days=1)
    assert clock.slept == [datetime(2026, 12, 6, 3, 0, tzinfo=UTC)]
    assert versions(sessions) == [rules.version] * 3


def test_a_sleep_that_ends_early_never_runs_the_same_night_twice(sessions) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    clock = FakeClock(datetime(2026, 12, 5, 14, 0, tzinfo=UTC))

    def early(seconds: float) -> None:
        clock.sleep(seconds - 20)  # the wall clock says 02:59:40

    nightly.run_daily(sessions, rules, THREE, clock, early, days=2)
    assert clock.slept == [
        datetime(2026, 12, 6, 2, 59, 40, tzinfo=UTC),
        datetime(2026, 12, 7, 2, 59, 40, tzinfo=UTC),
    ]


def test_a_defect_in_a_run_is_logged_whole_and_tried_again(
    sessions, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    real = rescore.rescore_all
    calls: list[datetime] = []

    def broken_once(sessions_, rules_, now, *args, **kwargs):
        calls.append(now)
        if len(calls) == 1:
            raise ValueError("a defect")
        return real(sessions_, rules_, now, *args, **kwargs)

    monkeypatch.setattr(rescore, "rescore_all", broken_once)
    clock = FakeClock(datetime(2026, 12, 5, 14, 0, tzinfo=UTC))
    nightly.run_daily(sessions, rules, THREE, clock, clock.sleep, days=1)
    night = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
    assert calls == [night, night + nightly.RETRY]
    assert "ValueError: a defect" in caplog.text


def test_a_store_that_is_down_is_tried_again_half_an_hour_later(
    sessions, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    add_leads(sessions, 1)
    scored_under(sessions, "v2")
    real = rescore.rescore_all
    calls: list[datetime] = []

    def down_once(sessions_, rules_, now, *args, **kwargs):
        calls.append(now)
        if len(calls) == 1:
            raise OperationalError("SELECT", {}, Exception("server closed"))
        return real(sessions_, rules_, now, *args, **kwargs)

    monkeypatch.setattr(rescore, "rescore_all", down_once)
    start = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
    clock = FakeClock(start)

    nightly.run_daily(sessions, rules, THREE, clock, clock.sleep, days=1)

    assert calls == [start, start + nightly.RETRY]
    assert versions(sessions) == [rules.version]
    assert "trying again in 30 minutes" in caplog.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("04:30", time(4, 30)), (" 23:59 ", time(23, 59)), ("off", None), ("", None)],
)
def test_the_time_of_day_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: time | None
) -> None:
    monkeypatch.setenv("DMQL_RESCORE_AT", value)
    get_settings.cache_clear()
    try:
        assert get_settings().rescore_at == expected
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("value", ["3am", "25:00", "03:00+02:00"])
def test_a_time_that_is_no_time_of_day_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DMQL_RESCORE_AT", value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"DMQL_RESCORE_AT.*HH:MM in UTC"):
            get_settings()
    finally:
        get_settings.cache_clear()
