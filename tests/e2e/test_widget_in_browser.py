"""A visitor uses the website and its chat widget in a real browser.

Boots the real stack and drives Debian's headless Chromium through
ChromeDriver (Selenium; nothing is downloaded): the tracking snippet and the
e-book form record engagement, the widget greets by the name the form gave,
answers the visitor's own question first, the visitor answers in the chat
box, the handoff reaches the webhook, the conversation follows the visitor
to the next page, and the sales inbox shows the lead. Skipped where
Chromium is not installed (`apt-get install chromium chromium-driver`); CI
installs it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.stack import Receiver, Stack, as_json, requested_slot, running_stack

pytestmark = pytest.mark.e2e

SECRET = "whsec_" + "YnJvd3Nlci13aWRnZXQtZTJlLXNlY3JldC1vbmx5"
NAME = "Priya Natarajan"
EMAIL = "priya@octave-health.com"
#: Answers to whatever the bot asks; name, email and company come from the form.
ANSWERS = {
    "use_case": "we can't tell which channels bring our pipeline",
    "job_title": "Head of Growth",
    "company_size": "around 300 people",
    "industry": "healthcare",
    "country": "United Kingdom",
    "timeline": "this quarter",
    "budget": "£30k a year",
    "decision_maker": "yes, it's my budget",
    "consent": "yes",
}
#: What the visitor already told us on the e-book form.
FROM_THE_FORM = {"name", "email", "company"}
#: Flags for a root user on a machine with no outside network.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)


def _browser_paths() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    paths = _browser_paths()
    if paths is None:
        pytest.skip("needs Chromium: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    receiver: Receiver,
    fast_model: Path,
    browser: Any,
) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("e2e-browser")
    with running_stack(work, fast_model, receiver.url, SECRET) as running:
        yield running


def wait_until(check: Callable[[], Any], what: str, timeout_s: float = 30) -> Any:
    """Poll until ``check`` returns something truthy; fail naming ``what``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def bot_lines(browser: Any) -> list[str]:
    found = browser.find_elements("css selector", ".dmql-msg-bot")
    return [
        str(e.get_attribute("textContent")).removeprefix("Assistant: ") for e in found
    ]


def idle(browser: Any) -> bool:
    """The widget is waiting for the visitor (no reply on its way)."""
    return bool(
        browser.execute_script(
            "var t = document.querySelector('.dmql-typing');"
            "return t !== null && t.hidden;"
        )
    )


def say(browser: Any, text: str) -> list[str]:
    """Type a message into the chat box and send it; returns the new replies."""
    before = len(bot_lines(browser))
    box = browser.find_element("id", "dmql-chat-input")
    box.send_keys(text)
    box.submit()
    wait_until(
        lambda: idle(browser) and len(bot_lines(browser)) > before,
        f"a reply to {text!r}",
    )
    return bot_lines(browser)[before:]


def lead(stack: Stack, visitor_id: str) -> dict[str, Any]:
    response = httpx.get(f"{stack.web}/api/leads/{visitor_id}", timeout=10)
    if response.status_code == 404:
        return {}
    response.raise_for_status()
    found: dict[str, Any] = response.json()
    return found


def test_a_visitor_fills_the_ebook_form_then_qualifies_in_the_widget(
    browser: Any, stack: Stack, receiver: Receiver
) -> None:
    browser.get(f"{stack.web}/ebook")
    visitor = str(browser.execute_script("return window.dmql.visitorId();"))
    form = browser.find_element("id", "ebook-form")
    form.find_element("name", "name").send_keys(NAME)
    form.find_element("name", "email").send_keys(EMAIL)
    form.find_element("name", "company").send_keys("Octave Health")
    form.find_element("css selector", "button[type=submit]").click()
    assert browser.find_element("id", "ebook-success").is_displayed()
    wait_until(
        lambda: lead(stack, visitor).get("lead", {}).get("email") == EMAIL,
        "the e-book form to reach the lead store",
    )

    browser.get(f"{stack.web}/pricing")
    browser.find_element("css selector", ".dmql-launcher").click()
    greeting = wait_until(
        lambda: idle(browser) and len(bot_lines(browser)) >= 2 and bot_lines(browser),
        "the greeting",
    )
    assert "Priya" in greeting[0], "greeted by the name the form gave"
    assert any(line.startswith("Privacy note") for line in greeting)
    assert any("plans" in line for line in greeting), "the pricing page's opener"

    # The first thing many visitors type is a question of their own: it is
    # answered, and the bot's question asked again.
    assert requested_slot(stack, visitor) == "use_case"
    replies = say(browser, "how much does it cost?")
    assert any("$490" in line for line in replies), replies
    assert requested_slot(stack, visitor) == "use_case", "not taken as the need"

    asked: list[str] = []
    for _turn in range(len(ANSWERS) + 3):
        slot = requested_slot(stack, visitor)
        if slot is None:
            break
        asked.append(slot)
        assert slot not in FROM_THE_FORM, f"asked for {slot}, which the form gave"
        say(browser, ANSWERS[slot])
    assert asked, "the widget's chat reached the qualification questions"

    closing = bot_lines(browser)[-1]
    assert f"contact you at {EMAIL}" in closing, bot_lines(browser)
    mailto = browser.find_elements(
        "css selector", f".dmql-msg-bot a[href='mailto:{EMAIL}']"
    )
    assert mailto, "an address in a reply is a link, not markup"
    wait_until(lambda: receiver.requests, "the handoff webhook")
    payload = as_json(receiver.requests[-1][1])
    assert payload["type"] == "lead.qualified"
    assert payload["visitor_id"] == visitor
    assert payload["lead"]["name"] == NAME
    assert payload["lead"]["company"] == "Octave Health"
    engagement = payload["engagement"]
    assert engagement["downloads"], "the e-book download counts"
    assert engagement["page_views"] >= 2


def test_the_conversation_follows_the_visitor_to_the_next_page(
    browser: Any, stack: Stack
) -> None:
    before = bot_lines(browser)
    assert before, "runs after the conversation above"
    browser.get(f"{stack.web}/product")
    panel = browser.find_element("id", "dmql-chat-panel")
    wait_until(panel.is_displayed, "the chat to stay open on the next page")
    assert bot_lines(browser) == before
    assert idle(browser), "no second greeting is sent"
    assert say(browser, "thanks!"), "the chat goes on where it was"


def test_the_sales_inbox_lists_the_lead_in_the_browser(
    browser: Any, stack: Stack
) -> None:
    browser.get(f"{stack.web}/sales")
    assert NAME in browser.page_source
    assert "Octave Health" in browser.page_source
