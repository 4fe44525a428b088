"""passports: where every dispute stands across the network (what complaints are matched
against), and each filer's own access code, kept as a keyed hash on the filing

Existing open complaints get their passport from their filings, so duplicates and co-workers
are still recognised after the upgrade.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_OPEN = ("RECEIVED", "ROUTED", "FORWARDED")
_STAGE = {"RECEIVED": "intake", "ROUTED": "routed", "FORWARDED": "forwarded"}


def upgrade() -> None:
    op.create_table(
        "passports",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("employer_key", sa.String(300), nullable=False),
        sa.Column("stage", sa.String(30), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_passports")),
    )
    op.create_index(op.f("ix_passports_employer_key"), "passports", ["employer_key"])
    with op.batch_alter_table("filings") as batch:
        batch.add_column(sa.Column("access_code_bidx", sa.String(64), nullable=True))
        batch.create_index(batch.f("ix_filings_access_code_bidx"), ["access_code_bidx"])
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    complaints = sa.Table("complaints", meta, autoload_with=bind)
    filings = sa.Table("filings", meta, autoload_with=bind)
    passports = sa.Table("passports", meta, autoload_with=bind)
    c, f = complaints.c, filings.c
    rows = bind.execute(
        sa.select(
            c.case_id,
            c.status,
            c.employer_key,
            c.employer_name,
            c.region_code,
            c.tracking_number,
            c.worker_count,
            c.received_at,
            c.route,
            c.target_org_id,
            c.target_org_name,
            f.worker_id_number_bidx,
            f.claims,
        )
        .join(filings, f.case_id == c.case_id)
        .where(c.status.in_(_OPEN))
    ).all()
    states: dict[str, dict] = {}
    for row in rows:
        state = states.setdefault(
            row.case_id,
            {
                "case_id": row.case_id,
                "employer_key": row.employer_key or "",
                "employer_name": row.employer_name,
                "region_code": row.region_code,
                "tracking_number": row.tracking_number,
                "worker_count": row.worker_count,
                "worker_keys": [],
                "categories": [],
                "unidentified": False,
                "opened_at": row.received_at,
                "views": {
                    "intake": {
                        "stage": _STAGE[row.status],
                        "holder_kind": None,
                        "holder_id": row.target_org_id,
                        "holder_name": row.target_org_name,
                    }
                },
            },
        )
        if row.worker_id_number_bidx:
            state["worker_keys"] = sorted({*state["worker_keys"], row.worker_id_number_bidx})
        else:
            state["unidentified"] = True
        state["categories"] = sorted({*state["categories"], *(claim["category"] for claim in row.claims or ())})
    now = datetime.now(UTC)
    for state in states.values():
        opened_at = state.pop("opened_at")
        bind.execute(
            sa.insert(passports).values(
                case_id=state["case_id"],
                employer_key=state["employer_key"],
                stage=state["views"]["intake"]["stage"],
                state=state,
                opened_at=opened_at,
                updated_at=now,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("filings") as batch:
        batch.drop_index(batch.f("ix_filings_access_code_bidx"))
        batch.drop_column("access_code_bidx")
    op.drop_index(op.f("ix_passports_employer_key"), table_name="passports")
    op.drop_table("passports")
