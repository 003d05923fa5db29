"""The demo website: pages, tracking snippet, forms and chat widget as served."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import StarletteDeprecationWarning

from bot.settings import Settings
from bot.web import site

with warnings.catch_warnings():
    # Starlette asks for the httpx2 fork for its test client; the app pins
    # httpx, which the test client still drives the same way.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PAGES = [
    "/",
    "/product",
    "/pricing",
    "/ebook",
    "/ebook/read",
    "/webinar",
    "/newsletter",
]
ACCEPTED_EVENT_TYPES = {
    "page_view",
    "content_download",
    "webinar_signup",
    "newsletter_signup",
    "social_follow",
    "email_open",
    "email_click",
    "chat_message",
    "form_submit",
}
RASA_URL = "https://chat.brightlane.test:5005"


def make_client(public_rasa_url: str = RASA_URL) -> TestClient:
    """A minimal app with the site router and the static files."""
    app = FastAPI()
    app.state.settings = Settings(public_rasa_url=public_rasa_url)
    app.include_router(site.router)
    app.mount("/static", StaticFiles(directory=site.STATIC_DIR), name="static")
    return TestClient(app)


def form_tag(html: str, form_id: str) -> str:
    match = re.search(rf'<form id="{form_id}"[^>]*>', html)
    assert match, f"no form #{form_id}"
    return match.group(0)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_the_snippet_and_the_widget(path: str) -> None:
    response = make_client().get(path)

    assert response.status_code == 200
    html = response.text
    assert '<script src="/static/tracking.js" data-endpoint="/api/events"' in html
    widget = re.search(r'<script src="/static/widget.js"[^>]*>', html)
    assert widget, "chat widget missing"
    assert f'data-rasa-url="{RASA_URL}"' in widget.group(0)
    assert 'data-contact-email="hello@brightlane.example"' in widget.group(0)
    # Tracking loads first: the forms and the widget use what it defines.
    assert html.index("tracking.js") < html.index("forms.js") < html.index("widget.js")


@pytest.mark.parametrize("path", PAGES)
def test_pages_use_only_assets_the_app_serves(path: str) -> None:
    client = make_client()
    html = client.get(path).text

    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    external = [u for u in urls if re.match(r"(https?:)?//", u)]
    assert external == []
    for url in {u for u in urls if u.startswith("/static/")}:
        assert client.get(url).status_code == 200, url


def test_stylesheets_reference_only_served_files() -> None:
    client = make_client()
    for name in ("site.css", "widget.css", "sales.css"):
        css = client.get(f"/static/{name}").text
        for url in re.findall(r'url\("?([^")]+)"?\)', css):
            assert url.startswith("/static/"), url
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_navigable_by_keyboard_and_screen_reader(path: str) -> None:
    html = make_client().get(path).text

    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert re.search(r"<h1[ >]", html)
    if path != "/ebook/read":
        assert f'<a href="{path}" aria-current="page">' in html
    for img in re.findall(r"<img [^>]*>", html):
        assert "alt=" in img, img
    for input_id in re.findall(r'<input id="([^"]+)"', html):
        assert f'<label for="{input_id}">' in html, input_id


def test_browser_rasa_url_defaults_to_the_local_rasa_port() -> None:
    app = FastAPI()
    app.state.settings = Settings(rasa_port=5123)
    app.include_router(site.router)

    html = TestClient(app).get("/").text

    assert 'data-rasa-url="http://localhost:5123"' in html


def test_rasa_url_is_escaped_in_the_page() -> None:
    html = make_client('http://x/"><script>alert(1)</script>').get("/").text

    assert "<script>alert(1)</script>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html


def test_ebook_form_records_a_content_download_then_shows_the_link() -> None:
    html = make_client().get("/ebook").text

    form = form_tag(html, "ebook-form")
    assert 'method="post" action="/ebook"' in form
    assert 'data-track="content_download"' in form
    assert re.search(r'data-asset="ebook-[a-z-]+"', form)
    assert 'data-success="ebook-success"' in form
    for field in ("name", "email", "company"):
        assert f'<input id="ebook-{field}" name="{field}"' in html
    assert 'id="ebook-email" name="email" type="email" required' in html
    success = re.search(r'<div id="ebook-success"[^>]*>', html)
    assert success
    assert "hidden" in success.group(0)
    assert 'href="/ebook/read"' in html


def test_webinar_form_records_a_webinar_signup() -> None:
    html = make_client().get("/webinar").text

    form = form_tag(html, "webinar-form")
    assert 'data-track="webinar_signup"' in form
    assert re.search(r'data-webinar="webinar-[a-z-]+"', form)
    for field in ("name", "email", "company"):
        assert f'<input id="webinar-{field}" name="{field}"' in html


def test_newsletter_form_records_a_newsletter_signup_with_only_an_email() -> None:
    html = make_client().get("/newsletter").text

    form_html = html[html.index('<form id="newsletter-form"') : html.index("</form>")]
    assert 'data-track="newsletter_signup"' in form_html
    assert re.findall(r'<input [^>]*name="([^"]+)"', form_html) == ["email"]


@pytest.mark.parametrize("path", PAGES)
def test_forms_only_send_event_types_the_api_accepts(path: str) -> None:
    html = make_client().get(path).text

    assert set(re.findall(r'data-track="([^"]+)"', html)) <= ACCEPTED_EVENT_TYPES


def test_forms_script_sends_the_declared_event_with_its_properties() -> None:
    js = make_client().get("/static/forms.js").text

    assert 'querySelectorAll("form[data-track]")' in js
    assert "window.dmqlTrack(form.dataset.track, collect(form))" in js
    assert "properties.asset = form.dataset.asset" in js
    assert "properties.webinar = form.dataset.webinar" in js
    assert '["name", "email", "company"]' in js
    assert "event.preventDefault()" in js


@pytest.mark.parametrize(
    ("path", "data", "expected"),
    [
        (
            "/ebook",
            {"name": "Dana Lee", "email": "dana@acme.io", "company": "Acme"},
            'href="/ebook/read"',
        ),
        (
            "/webinar",
            {"name": "Dana Lee", "email": "dana@acme.io", "company": "Acme"},
            "You're registered",
        ),
        ("/newsletter", {"email": "dana@acme.io"}, "You're subscribed"),
    ],
)
def test_forms_work_without_scripts(
    path: str, data: dict[str, str], expected: str
) -> None:
    html = make_client().post(path, data=data).text

    success = re.search(r'<div id="[a-z]+-success"[^>]*>', html)
    assert success
    assert "hidden" not in success.group(0)
    assert re.search(r'<form id="[a-z]+-form"[^>]*hidden>', html)
    assert expected in html


def test_form_echo_is_escaped() -> None:
    html = (
        make_client()
        .post(
            "/ebook",
            data={"name": "<script>x()</script>", "email": "a@b.io", "company": "C"},
        )
        .text
    )

    assert "<script>x()</script>" not in html
    assert "Thanks, &lt;script&gt;" in html


def test_tracking_snippet_identifies_the_visitor_and_the_tab() -> None:
    js = make_client().get("/static/tracking.js").text

    assert 'var VISITOR_COOKIE = "visitor_id"' in js
    assert "SameSite=Lax" in js
    assert "365 * 24 * 60 * 60" in js
    assert "window.sessionStorage" in js
    assert '|| "/api/events"' in js
    assert "JSON.stringify({ visitor_id: visitorId, events: events })" in js
    assert 'new Blob([body], { type: "application/json" })' in js
    assert "navigator.sendBeacon(endpoint, blob)" in js
    assert "keepalive: true" in js
    assert "event_id: uuid()" in js
    assert "occurred_at: new Date().toISOString()" in js
    assert "props.session_id = sessionId" in js
    assert "window.dmqlTrack = track" in js
    assert (
        'track("page_view", { path: location.pathname, title: document.title })' in js
    )


def test_chat_widget_talks_to_rasa_rest_and_greets_once_per_tab() -> None:
    js = make_client().get("/static/widget.js").text

    assert 'getAttribute("data-rasa-url")' in js
    assert 'rasaUrl + "/webhooks/rest/webhook"' in js
    assert "sender: visitorId()" in js
    assert "metadata: { page: location.pathname, title: document.title }" in js
    assert 'send("/greet", null)' in js
    assert "GREETED_KEY" in js
    assert "window.sessionStorage" in js
    assert "Chat is offline right now — email us at " in js


def test_chat_widget_is_accessible_and_never_renders_html() -> None:
    js = make_client().get("/static/widget.js").text

    assert "innerHTML" not in js
    assert "insertAdjacentHTML" not in js
    assert 'role: "log", "aria-live": "polite"' in js
    assert '"aria-expanded"' in js
    assert 'event.key === "Escape"' in js
    assert "input.focus()" in js
    assert "launcher.focus()" in js


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("name", ["tracking.js", "forms.js", "widget.js"])
def test_scripts_parse(name: str) -> None:
    path = Path(site.STATIC_DIR) / name
    result = subprocess.run(
        ["node", "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_chat_widget_counts_messages_as_engagement_without_their_text() -> None:
    js = make_client().get("/static/widget.js").text
    call = re.search(r'window\.dmqlTrack\("chat_message", (\{[^)]*\})\)', js)
    assert call is not None
    assert call.group(1) == "{}", "the message text must not leave the chat"
