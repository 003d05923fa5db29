"""DMQL Bot application: settings, lead store, engagement, qualification, handoff, web app, CLI."""
