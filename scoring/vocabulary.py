"""The names the website and the chatbot send, so typos in rules are caught.

A rule on an event type, property or signal that nothing ever sends would
silently score nothing; checking names against these lists at load turns that
into an error with a "did you mean". Add a name here when the tracking snippet
or the chatbot starts sending it.
"""

from __future__ import annotations

from collections.abc import Mapping

EVENT_PROPERTIES: Mapping[str, frozenset[str]] = {
    "page_view": frozenset({"path", "title", "session_id"}),
    "content_download": frozenset({"asset", "session_id"}),
    "webinar_signup": frozenset({"webinar", "session_id"}),
    "newsletter_signup": frozenset({"session_id"}),
    "social_follow": frozenset({"network", "session_id"}),
    "email_open": frozenset(),
    "email_click": frozenset(),
    "chat_message": frozenset({"session_id"}),
    "form_submit": frozenset({"path", "session_id"}),
}
"""Event types the website sends, with the properties each one carries."""

SIGNALS: frozenset[str] = frozenset(
    {"asked_pricing", "asked_demo", "named_competitor", "asked_human", "urgent"}
)
"""Conversation signals the chatbot sets on a lead."""

BEHAVIOUR_FEATURES: Mapping[str, str] = {
    "sessions": "distinct visits (session_id of page views) within the window",
    "bounce_rate": "share of visits in the window that saw a single page (0 to 1)",
    "active_days": "distinct days with any event within the window",
    "days_since_last_seen": "whole days since the most recent event of any kind",
}
"""Features computed from a lead's events, with what each one measures."""

SIGNAL_REASONS: Mapping[str, str] = {
    "asked_pricing": "Asked about pricing in the chat",
    "asked_demo": "Asked for a demo in the chat",
    "named_competitor": "Named a competitor they are comparing",
    "asked_human": "Asked to talk to a person",
    "urgent": "Said the need is urgent",
}
"""What a rep reads for each signal when a rule gives no reason of its own."""

# Placeholders each kind of rule fills into its `reason`, with a sample of the
# type it passes, so a template is tried once at load rather than failing
# while scoring.
FIT_TEMPLATE_FIELDS: Mapping[str, object] = {
    "value": "vp",
    "s": "s",
    "points": 18.0,
    "field": "seniority",
    "currency": "USD",
}
ENGAGEMENT_TEMPLATE_FIELDS: Mapping[str, object] = {
    "count": 3,
    "s": "s",
    "points": 5.0,
    "days_ago": 2,
    "last_seen": "2 days ago",
    "event": "page view",
}
BEHAVIOUR_TEMPLATE_FIELDS: Mapping[str, object] = {
    "value": "4",
    "points": 3.0,
    "feature": "sessions",
    "window_days": 30,
}
CONVERSATION_TEMPLATE_FIELDS: Mapping[str, object] = {
    "points": 8.0,
    "signal": "asked_pricing",
}
NEGATIVE_TEMPLATE_FIELDS: Mapping[str, object] = {
    "value": "student",
    "points": -30.0,
    "field": "seniority",
}

_YES_NO = frozenset({"true", "false"})

LEAD_ATTRIBUTES: Mapping[str, frozenset[str] | None] = {
    "name": None,
    "email": None,
    "company": None,
    "job_title": None,
    "company_size": None,
    "industry": frozenset(
        {
            "software", "saas", "marketing", "ecommerce", "financial_services",
            "professional_services", "education", "healthcare", "manufacturing",
            "retail", "media", "nonprofit", "government", "telecom", "logistics",
            "real_estate", "hospitality", "energy", "automotive", "other",
        }
    ),
    "country": None,
    "use_case": None,
    "timeline": None,
    "budget": None,
    "decision_maker": _YES_NO,
    "consent": _YES_NO,
    "seniority": frozenset(
        {
            "c_level", "vp", "director", "manager", "individual_contributor",
            "student", "other",
        }
    ),
    "department": frozenset(
        {
            "marketing", "sales", "engineering", "product", "operations", "finance",
            "hr", "it", "executive", "other",
        }
    ),
    "timeline_months": None,
    "budget_amount": None,
    "budget_currency": None,
    "email_domain_kind": frozenset({"business", "free"}),
    "budget_base": None,
    "budget_base_currency": None,
    "unsubscribed": _YES_NO,
    "email_bounced": _YES_NO,
    "job_seeker": _YES_NO,
    "is_competitor": _YES_NO,
}  # fmt: skip
"""The lead attributes the chatbot and the website fill, as scoring rules read
them, with the values each can take (None: any text or number). A rule on
another name, or on a value not listed, would never match anything."""
