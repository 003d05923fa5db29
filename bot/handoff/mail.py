"""A handoff as an email to the sales team, sent over SMTP.

Plain text, built with the standard library's ``email.message`` and sent with
``smtplib`` (STARTTLS unless turned off, a login when a user is set): who,
why now, the next step, the score and its reasons, the visitor's engagement
and the last lines of the chat, then a link to the lead in the sales inbox.
The server, the login and the addresses come from ``DMQL_SMTP_*`` and
``DMQL_SALES_EMAIL``; the password never reaches a log or an error.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from bot.errors import DeliveryError
from bot.handoff.summary import reason_lines

SUBJECTS = {
    "lead.qualified": "New DMQL",
    "lead.human_requested": "A visitor asked for a person",
    "lead.updated": "Lead updated",
}
#: The last chat lines quoted; the inbox has the whole transcript.
TRANSCRIPT_SHOWN = 8


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send: one deployment's SMTP settings."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout_s: float = 10.0


def compose(
    payload: dict[str, Any], server: SmtpServer, inbox_url: str | None = None
) -> EmailMessage:
    """The email for one handoff."""
    summary = payload.get("summary") or {}
    score = payload.get("score") or {}
    title = SUBJECTS.get(str(payload.get("type")), "New lead")
    headline = str(summary.get("headline") or "A visitor")
    changed = ", ".join(map(str, payload.get("changed") or []))
    lines = [
        headline,
        *([f"Changed: {changed}"] if changed else []),
        "",
        f"Why now: {summary.get('why_now') or '-'}",
        f"Next step: {summary.get('next_step') or '-'}",
        "",
        f"Score {score.get('total', '-')}/100 · fit grade "
        f"{score.get('grade') or '-'}, engagement level {score.get('level') or '-'} · "
        f"stage {score.get('stage') or '-'}",
        *(f"  {reason}" for reason in reason_lines(payload)),
    ]
    said = [
        f"  {'Visitor' if line.get('speaker') == 'visitor' else 'Bot'}: "
        f"{line.get('text')}"
        for line in (payload.get("transcript") or [])[-TRANSCRIPT_SHOWN:]
        if line.get("text")
    ]
    if said:
        lines += ["", "Last words in the chat:", *said]
    if inbox_url:
        lines += ["", f"Open in the sales inbox: {inbox_url.rstrip('/')}/sales/"
                  f"{payload.get('id')}"]  # fmt: skip
    mail = EmailMessage()
    # Header values are one line: a visitor's line break can't add a header.
    mail["Subject"] = _one_line(f"{title}: {headline}")
    mail["From"] = server.sender
    mail["To"] = ", ".join(server.recipients)
    # Stable per handoff (and per update of it), so a mail client drops a
    # retried delivery's copy but not the next update.
    domain = parseaddr(server.sender)[1].rpartition("@")[2] or "dmql-bot"
    update = "".join(filter(str.isdigit, str(payload.get("updated_at") or "")))
    suffix = f"-{update}" if update else ""
    first = f"<handoff-{payload.get('id')}@{domain}>"
    mail["Message-ID"] = f"<handoff-{payload.get('id')}{suffix}@{domain}>"
    if suffix:
        # An update answers the handoff's own mail: mail clients thread them.
        mail["In-Reply-To"] = first
        mail["References"] = first
    email = _one_line(str((payload.get("lead") or {}).get("email") or ""))
    if email and "@" in email and " " not in email:
        mail["Reply-To"] = email
    mail.set_content("\n".join(lines) + "\n")
    return mail


def deliver(
    server: SmtpServer, *, payload: dict[str, Any], inbox_url: str | None = None
) -> None:
    """Send one handoff; any SMTP or network failure is a :class:`DeliveryError`."""
    mail = compose(payload, server, inbox_url)
    try:
        with smtplib.SMTP(server.host, server.port, timeout=server.timeout_s) as smtp:
            if server.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if server.user:
                smtp.login(server.user, server.password or "")
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        # The class and the server's code only: never the login or the body.
        code = getattr(exc, "smtp_code", None)
        detail = f" {code}" if code else ""
        raise DeliveryError(
            f"email via {server.host}:{server.port}: {type(exc).__name__}{detail}"
        ) from exc


def _one_line(text: str) -> str:
    return " ".join(text.split())
