"""Webhook settings, mixed into the gateway's settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

RegionPrefix = Annotated[str, Field(pattern=r"^(\*|[0-9]{2,12})$")]  # '*' or a division-code prefix


class CourtSender(BaseModel):
    """A court (or a court platform) that posts callbacks: its secrets and the regions it serves.
    A callback about a case outside those regions is refused as unknown."""

    name: str = Field(min_length=1, max_length=200)
    regions: list[RegionPrefix] = Field(min_length=1)
    secrets: list[str] = Field(min_length=1)


class WebhookSettings(BaseModel):
    # Hosts (host or host:port) exempt from the SSRF guard: only for tests and for receivers on
    # a private network that an operator vouches for. Empty in production by default.
    webhook_allowed_hosts: str = ""
    webhook_timeout_s: float = 10.0
    webhook_concurrency: int = 8
    # With nothing due the dispatcher's wait doubles from the poll interval up to the idle
    # maximum (a scheduled retry is at most that late; the first comes after 5 s).
    webhook_poll_interval_s: float = 0.5
    webhook_idle_max_s: float = 2.0
    # An endpoint failing without a single success for this long is disabled (admins notified).
    webhook_disable_after_s: float = 5 * 24 * 3600.0
    # Court liaison's shared signing secrets for callbacks in (whsec_…, comma-separated for
    # rotation), serving the regions in court_webhook_regions ('*': every region).
    court_webhook_secrets: str = ""
    court_webhook_regions: str = "*"
    # Courts with their own secrets and regions, as JSON:
    # [{"name": "洛阳市中级人民法院", "regions": ["4103"], "secrets": ["whsec_…"]}]
    court_webhook_senders: list[CourtSender] = Field(default_factory=list)
    court_webhook_tolerance_s: int = 300

    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.webhook_allowed_hosts.split(",") if h.strip())

    def court_secrets(self) -> list[str]:
        return [s.strip() for s in self.court_webhook_secrets.split(",") if s.strip()]

    def court_senders(self) -> list[CourtSender]:
        """Every sender whose signature a callback may carry; the shared secrets come first."""
        shared = self.court_secrets()
        regions = [r.strip() for r in self.court_webhook_regions.split(",") if r.strip()]
        first = [CourtSender(name="court", regions=regions, secrets=shared)] if shared else []
        return [*first, *self.court_webhook_senders]
