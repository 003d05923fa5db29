"""Handoff: a qualified lead, its summary, and the notifications that carry it."""
