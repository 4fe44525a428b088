"""Webhook settings, mixed into the gateway's settings."""

from __future__ import annotations

from pydantic import BaseModel


class WebhookSettings(BaseModel):
    # Hosts (host or host:port) exempt from the SSRF guard: only for tests and for receivers on
    # a private network that an operator vouches for. Empty in production by default.
    webhook_allowed_hosts: str = ""
    webhook_timeout_s: float = 10.0
    webhook_concurrency: int = 8
    webhook_poll_interval_s: float = 0.5
    # An endpoint failing without a single success for this long is disabled (admins notified).
    webhook_disable_after_s: float = 5 * 24 * 3600.0
    # Court liaison's signing secrets for callbacks in (whsec_…, comma-separated for rotation).
    court_webhook_secrets: str = ""
    court_webhook_tolerance_s: int = 300

    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.webhook_allowed_hosts.split(",") if h.strip())

    def court_secrets(self) -> list[str]:
        return [s.strip() for s in self.court_webhook_secrets.split(",") if s.strip()]
