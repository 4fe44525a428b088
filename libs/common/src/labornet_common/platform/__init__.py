"""The platform every service runs on: app and runtime, settings, database and unit of work,
the outbox and the bus, problems, listing and exports, tracing and metrics, the CLI."""
