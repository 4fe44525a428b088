"""Kafka bus: producer, topic administration, idempotent consumer."""
