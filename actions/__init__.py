"""Thin rasa-sdk adapters: read slots, call one service, return events."""
