"""DMQL Bot: store, engagement, qualification, handoff, web app and CLI."""
