"""Transactional outbox: events are written with the state change and published by a relay."""

from labornet_common.contracts.events import PendingEvent
from labornet_common.platform.outbox.tables import MessagingTables, messaging_tables
from labornet_common.platform.outbox.writer import append_events

__all__ = ["MessagingTables", "PendingEvent", "append_events", "messaging_tables"]
