"""Service settings: one base class, subclassed per service.

Every setting has a default that works for the embedded stack (SQLite files under ``var/``,
the Tansu broker on loopback). Production overrides them through ``LABORNET_*`` environment
variables; secrets that still hold a development value are refused outside the embedded mode.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_INTERNAL_SECRET = "dev-internal-secret-change-me-0123456789"  # noqa: S105 - embedded only

Environment = Literal["embedded", "development", "test", "production"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_data_dir() -> Path:
    return Path.cwd() / "var" / "data"


class BaseServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LABORNET_", env_ignore_empty=True, extra="ignore", frozen=False)

    service_name: str = "labornet"
    environment: Environment = "embedded"
    host: str = "127.0.0.1"
    port: int = 8000

    # Database: a SQLite file per service by default; PostgreSQL via postgresql+asyncpg://.
    database_url: str = ""
    data_dir: Path = Field(default_factory=default_data_dir)
    database_pool_size: int = 10
    database_echo: bool = False

    # Kafka-protocol broker (Tansu in the embedded mode, Apache Kafka in production).
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_client_id: str = ""
    # Partitions a service gives a topic it creates. Partitions let several consumers of one
    # group share a topic; on one box each group has one consumer, and every partition costs
    # the broker and each group's fetch an entry per long poll (bench/idle.py: Tansu idles at
    # ~30 ms/s with 1, ~100 with 6) and splits batches. Deployments set their count
    # (docker-compose.yml 6, deploy/k8s 12) and keep it equal to the topics they declare.
    kafka_topic_partitions: int = Field(default=1, ge=1)
    kafka_topic_replication: int = 1
    # Tansu has no idempotent producer; Apache Kafka deployments may turn it on.
    kafka_enable_idempotence: bool = False

    # Workers: in the embedded mode the outbox relay and the consumers run inside the API
    # process; in production they may run as separate deployments (``labornet worker``).
    run_relay: bool = True
    run_consumers: bool = True
    relay_batch_size: int = 500
    # An idle relay's wait starts at the poll interval and doubles up to relay_idle_max_s; a
    # commit in the same process ends it at once (a relay in another process, ``labornet
    # worker``, finds the work at its next poll, within relay_idle_max_s). Where the API, the
    # consumers and the relay share the process (``labornet serve`` with both on), every commit
    # wakes the relay and it waits for a commit until its next broker check is due.
    relay_poll_interval_s: float = 0.05
    relay_idle_max_s: float = 1.0
    relay_lease_ttl_s: float = 15.0
    # How often relays and consumers check that the broker still holds what they knew
    # (cluster id, topics, log ends): a broker that restarted empty is noticed within this.
    broker_watch_interval_s: float = 1.0
    # With nothing published or fetched, those checks (and a consumer's lag report) back off,
    # doubling up to this (platform/pace.py): an idle process asks the broker every few
    # seconds, not every second (bench/idle.py), and a broker that restarts empty while nothing
    # moves is noticed within this. The first batch published or fetched brings them back to
    # broker_watch_interval_s.
    broker_watch_idle_max_s: float = 5.0
    consumer_max_attempts: int = 5
    # A service starting while its database refuses connections (restarted during an outage)
    # waits for it, retrying with doubling back-off, for up to this long before it gives up.
    startup_database_wait_s: float = 120.0
    consumer_retry_backoff_s: float = 0.2
    # How long the broker may hold a fetch with nothing to return (the consumers' long poll).
    # Apache Kafka answers as soon as data arrives; Tansu (the embedded broker) answers at half
    # the wait, or later, so an event may wait up to about half of this per hop. 300 ms: an idle
    # consumer fetches ~3 times a second instead of 10 (bench/idle.py), for <= ~150 ms a hop.
    consumer_fetch_max_wait_ms: int = 300
    # A consumer that sends no heartbeat for this long leaves its group and its partitions go to
    # another member. 6 s is the least a stock Apache Kafka broker accepts
    # (group.min.session.timeout.ms); Tansu holds every join for half of it, so a consumer
    # reads its first event ~3 s after it starts (5 s at aiokafka's own 10 s). Heartbeats go
    # every third of it.
    consumer_session_timeout_ms: int = Field(default=6000, ge=1000)
    # Records of a fetch applied per transaction (bus/consumer.py); 1: one per event.
    consumer_batch_size: int = 100
    # Transactions a consumer applies a fetch in side by side, the records split by case
    # (bus/consumer.py ``lanes_of``): the service's work on one overlaps the database's on
    # another. PostgreSQL only: SQLite admits one writer at a time, so there it is 1.
    consumer_lanes: int = Field(default=2, ge=1, le=8)
    # Embedded broker keeps topics in memory: republish the outbox on start (consumers dedupe).
    republish_outbox_on_start: bool = False

    internal_secret: str = DEV_INTERNAL_SECRET
    pii_keyring: str = ""
    pii_active_key: str = ""
    pii_index_key: str = ""

    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _fill_defaults(self) -> BaseServiceSettings:
        if not self.database_url:
            path = self.data_dir / f"{self.service_name}.db"
            self.database_url = f"sqlite+aiosqlite:///{path}"
        if not self.kafka_client_id:
            self.kafka_client_id = f"labornet-{self.service_name}"
        if self.internal_secret == DEV_INTERNAL_SECRET and not self._may_use_dev_secret:
            # The development secret is in the source: anyone who reads it could sign an admin
            # assertion. It is good only for a stack on this machine's loopback (embedded, tests).
            raise ValueError(
                "LABORNET_INTERNAL_SECRET must be set unless the service runs embedded or under test on "
                "loopback (仅本机嵌入模式和测试可使用开发用内部签名密钥，其他部署必须设置 LABORNET_INTERNAL_SECRET)"
            )
        return self

    @property
    def _may_use_dev_secret(self) -> bool:
        return self.environment in ("embedded", "test") and _is_loopback(self.host)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
