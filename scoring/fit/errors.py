"""Errors from fitting a scorecard.

`FitInputError` means the export or the mapping cannot be used as given; its
message names the problem and the fix, so the CLI prints it unchanged.
"""


class FitInputError(ValueError):
    """The history or the mapping is unusable; the message says how to fix it."""
