"""wage-arrears tables (SQLAlchemy Core) and the messaging tables every service carries."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from labornet_common.platform.db import new_metadata
from labornet_common.platform.listing import declare_search_indexes
from labornet_common.platform.outbox import messaging_tables

metadata = new_metadata()
messaging = messaging_tables(metadata)

# One row per case: the facts folded from every case topic (domain/facts.py), with the keys
# the risk picture groups by pulled out for indexing.
wa_cases = Table(
    "wa_cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("employer_key", String(300), nullable=False, index=True),
    Column("project_key", String(300), nullable=False),
    Column("region_code", String(12), nullable=False, index=True),
    Column("facts", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

wa_profiles = Table(
    "wa_profiles",
    metadata,
    Column("profile_id", String(32), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("employer_key", String(300), nullable=False, index=True),
    Column("project_key", String(300), nullable=False),
    Column("region_code", String(12), nullable=False, index=True),
    Column("employer_name", String(200), nullable=False),
    Column("employer_uscc", String(18)),
    Column("project", String(200)),
    Column("cases", Integer, nullable=False),
    Column("complaints", Integer, nullable=False),
    Column("open_complaints", Integer, nullable=False),
    Column("workers_involved", Integer, nullable=False),
    Column("claimed_fen", BigInteger, nullable=False),
    Column("wages_claimed_fen", BigInteger, nullable=False),
    Column("agreed_fen", BigInteger, nullable=False),
    Column("awarded_fen", BigInteger, nullable=False),
    Column("unpaid_agreements_fen", BigInteger, nullable=False),
    Column("unpaid_awards_fen", BigInteger, nullable=False),
    Column("police_linked", Integer, nullable=False),
    Column("collective_cases", Integer, nullable=False),
    Column("orders_unpaid_fen", BigInteger, nullable=False, server_default="0"),
    Column("incidents", Integer, nullable=False, server_default="0"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

wa_alerts = Table(
    "wa_alerts",
    metadata,
    Column("alert_id", String(36), primary_key=True),
    Column("alert_key", String(700), nullable=False, index=True),
    Column("occurrence", Integer, nullable=False),
    Column("rule", String(40), nullable=False),
    Column("severity", String(10), nullable=False, index=True),
    Column("state", String(20), nullable=False, index=True),
    Column("region_code", String(12), nullable=False, index=True),
    Column("subject_kind", String(10), nullable=False),
    Column("employer_key", String(300), nullable=False, index=True),
    Column("employer_name", String(200), nullable=False),
    Column("employer_uscc", String(18)),
    Column("project", String(200)),
    Column("source", Text, nullable=False),
    Column("summary_zh", Text, nullable=False),
    Column("action", String(60), nullable=False),
    Column("case_ids", JSON, nullable=False),
    Column("worker_count", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("basis", JSON, nullable=False),
    Column("referral_id", String(36), index=True),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("clock", String(20)),
    Column("due_at", DateTime(timezone=True), index=True),
    Column("escalation_level", Integer, nullable=False),
    Column("owner", String(200)),
    Column("dispatched_to", String(100)),
    Column("dispatched_region", String(12), index=True),
    Column("reason", Text, nullable=False),
    Column("history", JSON, nullable=False),
    Column("holds", Boolean, nullable=False, server_default=true()),
    UniqueConstraint("alert_key", "occurrence"),
    # The alert list's orders (adapters.alert_search.ALERT_ORDERS): a page walks an index to its limit.
    Index("ix_wa_alerts_raised_at_id", "raised_at", "alert_id"),
    Index("ix_wa_alerts_amount_id", "amount_fen", "alert_id"),
    Index("ix_wa_alerts_state_raised_at_id", "state", "raised_at", "alert_id"),
)
# The list's text search (labornet_common.platform.listing.text_match), on PostgreSQL.
declare_search_indexes(
    wa_alerts,
    ["employer_name", "employer_uscc", "project", "alert_id", "referral_id"],
    ["employer_name", "project"],
)

# The inspectors' records (domain/records.py): orders to pay and incidents, one row each, keyed
# to the employer's picture. lapses_on is the first overdue day of a served, unpaid order; the
# scanner refreshes the employer's picture once that day comes (lapse_seen).
wa_records = Table(
    "wa_records",
    metadata,
    Column("record_id", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("employer_key", String(300), nullable=False, index=True),
    Column("region_code", String(12), nullable=False),
    Column("record", JSON, nullable=False),
    Column("lapses_on", Date, index=True),
    Column("lapse_seen", Boolean, nullable=False, server_default=false()),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("occurred_on", Date),  # an incident's day (the incident list's order); none for orders
    # The order and incident lists (adapters.record_search.RECORD_ORDERS): a page of one kind walks
    # an index to its limit, in either direction, instead of sorting every record of the kind.
    Index("ix_wa_records_kind_updated_id", "kind", "updated_at", "record_id"),
    Index("ix_wa_records_kind_occurred_id", "kind", "occurred_on", "record_id"),
)
# The list's text search (labornet_common.platform.listing.text_match), on PostgreSQL.
declare_search_indexes(wa_records, ["employer_key", "record_id"], ["employer_key"])

# One row per employer picture (employer key + county), locked while the picture is refreshed:
# two events of one employer applied at once (partitions, replicas) must not each compute the
# picture without the other's case, nor overwrite an alert an inspector is working.
wa_picture_locks = Table(
    "wa_picture_locks",
    metadata,
    Column("picture_key", String(320), primary_key=True),
)
