"""Engagement: events from the website and the summary a sales rep reads."""
