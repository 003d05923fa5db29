"""The shipped scoring.yml (scoring v2) qualifies the leads it should."""

from __future__ import annotations

from datetime import timedelta

from scoring.engine import score
from tests.scoring.factories import (
    NOW,
    default_rules,
    make_event,
    make_lead,
    page_views,
    senior_buyer,
)


def test_default_rules_load_as_v3_with_every_section() -> None:
    rules = default_rules()

    assert rules.version == "v3"
    sections = (
        rules.fit_rules,
        rules.engagement_rules,
        rules.behaviour_rules,
        rules.conversation_rules,
        rules.negative_rules,
    )
    assert all(sections)
    assert rules.calibration is not None


def test_vp_at_a_mid_size_company_with_budget_and_timeline_reaches_dmql() -> None:
    lead = make_lead(
        page_views("/", "/product", "/pricing"),
        **senior_buyer(department=None, decision_maker=None),
    )

    card = score(default_rules(), lead, NOW)

    assert card.stage == "dmql"
    assert card.grade == "A"
    assert card.probability is not None
    assert card.probability > 0.5


def test_director_at_a_200_person_company_reaches_dmql_with_a_few_page_views() -> None:
    attributes = senior_buyer(
        seniority="director",
        company_size=200,
        budget_base=12000.0,
        timeline_months=3,
        department=None,
        decision_maker=None,
    )
    lead = make_lead(page_views("/", "/product", "/integrations"), **attributes)

    card = score(default_rules(), lead, NOW)

    assert card.stage == "dmql", [(c.rule, c.points) for c in card.contributions]


def test_same_vp_without_budget_or_timeline_is_not_handed_to_sales() -> None:
    attributes = senior_buyer(budget_base=None, timeline_months=None)
    attributes.update(department=None, decision_maker=None)
    lead = make_lead(page_views("/", "/product"), **attributes)

    assert score(default_rules(), lead, NOW).stage in {"lead", "mql"}


def test_student_is_disqualified_however_engaged() -> None:
    events = (
        *page_views("/", "/pricing", "/demo"),
        make_event("content_download", asset="guide"),
        make_event("webinar_signup", webinar="intro"),
    )
    lead = make_lead(
        events,
        frozenset({"asked_demo", "asked_pricing"}),
        **senior_buyer(seniority="student", email_domain_kind="free"),
    )

    card = score(default_rules(), lead, NOW)

    assert card.stage == "disqualified"
    assert "Student, not a buyer" in [c.reason for c in card.contributions]


def test_free_mail_tyre_kicker_is_not_handed_to_sales_however_busy() -> None:
    events = (
        *page_views("/", "/pricing", "/demo", "/blog/a"),
        *page_views("/pricing", "/customers/acme", session="s2", days_ago=2),
        *(make_event("content_download", d, asset=f"a{d}") for d in range(4)),
        make_event("webinar_signup", webinar="intro"),
        make_event("newsletter_signup"),
    )
    lead = make_lead(
        events,
        frozenset({"asked_pricing", "asked_demo"}),
        email="kicker@gmail.example",
        seniority="individual_contributor",
        company_size=3,
        email_domain_kind="free",
    )

    card = score(default_rules(), lead, NOW)

    assert card.stage in {"lead", "mql"}
    assert card.grade == "D"
    assert card.engagement == 40  # engaged to the cap, still not a buyer


def test_reasons_read_as_sentences_a_rep_understands() -> None:
    lead = make_lead(page_views("/pricing"), **senior_buyer())

    reasons = {
        c.rule: c.reason for c in score(default_rules(), lead, NOW).contributions
    }

    assert reasons["seniority"] == "Seniority: VP"
    assert reasons["company_size"] == "250 employees"
    assert reasons["budget"] == "Budget of 25,000 USD a year"
    assert reasons["pricing_page"] == "Looked at pricing, last today"
    assert reasons["recency"] == "Last seen today"
    assert reasons["fit_cap"] == "Fit points are capped at 60"


def test_mostly_bouncing_visits_cost_points_and_recover_when_they_age_out() -> None:
    bounces = tuple(
        event for d in range(3) for event in page_views("/blog/a", session=f"b{d}")
    )
    lead = make_lead(bounces, email="a@b.example")

    now_card = score(default_rules(), lead, NOW)
    month_later = score(default_rules(), lead, NOW + timedelta(days=31))

    assert ("bounces", -3) in [(c.rule, c.points) for c in now_card.contributions]
    assert "bounces" not in [c.rule for c in month_later.contributions]
