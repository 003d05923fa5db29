"""The demo website of Brightlane, a fictional marketing-analytics company.

These pages are where visitors meet the chat widget and leave the engagement
trail (page views, e-book downloads, webinar and newsletter sign-ups) that the
lead score reads. Every page loads the tracking snippet and the chat widget;
the browser reaches Rasa at ``settings.browser_rasa_url``.

The forms work with scripts (the tracking snippet records the event and the
page shows the result in place) and without (a plain POST renders the same
result; only the tracking event is missing then).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bot.settings import Settings, get_settings

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)

router = APIRouter()


@dataclass(frozen=True)
class Company:
    """The fictional company the demo site sells for."""

    name: str
    tagline: str
    contact_email: str
    ebook_asset: str
    ebook_title: str
    webinar_id: str
    webinar_title: str


BRIGHTLANE = Company(
    name="Brightlane",
    tagline="Marketing attribution you can explain",
    contact_email="hello@brightlane.example",
    ebook_asset="ebook-attribution-playbook",
    ebook_title="The Attribution Playbook",
    webinar_id="webinar-attribution-without-guesswork",
    webinar_title="Attribution without guesswork",
)

NAV = (
    ("/", "Home"),
    ("/product", "Product"),
    ("/pricing", "Pricing"),
    ("/ebook", "E-book"),
    ("/webinar", "Webinar"),
    ("/newsletter", "Newsletter"),
)


def _settings(request: Request) -> Settings:
    settings = getattr(request.app.state, "settings", None)
    return settings if isinstance(settings, Settings) else get_settings()


def _page(request: Request, template: str, title: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        template,
        {
            "company": BRIGHTLANE,
            "nav": NAV,
            "title": title,
            "rasa_url": _settings(request).browser_rasa_url.rstrip("/"),
            **context,
        },
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """The landing page."""
    return _page(request, "site/home.html", BRIGHTLANE.tagline)


@router.get("/product", response_class=HTMLResponse)
def product(request: Request) -> HTMLResponse:
    """What the product does."""
    return _page(request, "site/product.html", "Product")


@router.get("/pricing", response_class=HTMLResponse)
def pricing(request: Request) -> HTMLResponse:
    """Plans and prices: the page that says most about buying intent."""
    return _page(request, "site/pricing.html", "Pricing")


@router.get("/ebook", response_class=HTMLResponse)
def ebook(request: Request) -> HTMLResponse:
    """The gated e-book: a short form, then the download link."""
    return _page(request, "site/ebook.html", BRIGHTLANE.ebook_title)


@router.post("/ebook", response_class=HTMLResponse)
def ebook_submitted(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    email: Annotated[str, Form(max_length=320)],
    company: Annotated[str, Form(max_length=200)],
) -> HTMLResponse:
    """The form's no-script path: show the download link."""
    return _page(
        request, "site/ebook.html", BRIGHTLANE.ebook_title, submitted={"name": name}
    )


@router.get("/ebook/read", response_class=HTMLResponse)
def ebook_read(request: Request) -> HTMLResponse:
    """The e-book itself, as a printable page."""
    return _page(request, "site/ebook_read.html", BRIGHTLANE.ebook_title)


@router.get("/webinar", response_class=HTMLResponse)
def webinar(request: Request) -> HTMLResponse:
    """The monthly live webinar's sign-up."""
    return _page(request, "site/webinar.html", BRIGHTLANE.webinar_title)


@router.post("/webinar", response_class=HTMLResponse)
def webinar_submitted(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    email: Annotated[str, Form(max_length=320)],
    company: Annotated[str, Form(max_length=200)],
) -> HTMLResponse:
    """The form's no-script path: confirm the seat."""
    return _page(
        request, "site/webinar.html", BRIGHTLANE.webinar_title, submitted={"name": name}
    )


@router.get("/newsletter", response_class=HTMLResponse)
def newsletter(request: Request) -> HTMLResponse:
    """The newsletter sign-up."""
    return _page(request, "site/newsletter.html", "Newsletter")


@router.post("/newsletter", response_class=HTMLResponse)
def newsletter_submitted(
    request: Request, email: Annotated[str, Form(max_length=320)]
) -> HTMLResponse:
    """The form's no-script path: confirm the subscription."""
    return _page(
        request, "site/newsletter.html", "Newsletter", submitted={"email": email}
    )
