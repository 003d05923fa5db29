"""The application's exception tree.

Every error the app raises on purpose derives from :class:`DmqlError`, so a
boundary (HTTP handler, action, CLI) can catch one type and turn it into a
clear message for the caller, the visitor or the operator::

    DmqlError
    ├── ConfigError        a settings value or config file is wrong (names the fix)
    ├── InvalidInput       a request or an answer cannot be accepted (names why)
    ├── NotFound           a visitor, lead or handoff does not exist
    └── DeliveryError      a notification could not be delivered (retried later)

Scoring config errors come from :mod:`scoring.errors` and are reported the same
way at start-up.
"""

from __future__ import annotations


class DmqlError(Exception):
    """Base of every error the application raises on purpose."""


class ConfigError(DmqlError):
    """A setting or config file is wrong; the message names the fix."""


class InvalidInput(DmqlError):
    """Input from a visitor, a website or an API caller was rejected."""


class NotFound(DmqlError):
    """The requested visitor, lead or handoff does not exist."""


class DeliveryError(DmqlError):
    """A handoff notification could not be delivered; it stays queued."""
