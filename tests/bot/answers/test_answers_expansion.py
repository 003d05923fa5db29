"""Customers who want to buy more are told apart from customers with a problem."""

from __future__ import annotations

import pytest

from bot.answers import wants_more


@pytest.mark.parametrize(
    "text",
    [
        "we already pay for brightlane growth, want to upgrade to enterprise",
        "We need more seats for the sales team",
        "how do we add another team to our account?",
        "we're on Starter and want to upgrade to Growth",
        "we're already a customer and want to add 10 more seats",
        "we need 20 more users",
        "customer here - need to upgrade",
        "We wanna upgrade",
        "we want to move up to growth",
    ],
)
def test_buying_more_is_an_expansion(text: str) -> None:
    assert wants_more(text)


@pytest.mark.parametrize(
    "text",
    [
        "since the last upgrade my reports are broken",
        "I can't log in to my account",
        "our invoice is wrong",
        "I am on the enterprise plan and my dashboard is broken",
        "our other teams cannot log in",
        "how do I add users to our workspace? the invite button is greyed out",
        "we want to cancel, the higher tier is too expensive",
        "I tried to upgrade our plan but the payment failed",
    ],
)
def test_a_problem_is_no_expansion(text: str) -> None:
    assert not wants_more(text)
