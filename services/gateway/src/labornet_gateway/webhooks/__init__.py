"""Webhooks out to court liaison (and other subscribers) and in from the court."""
