"""worker keys: the blind index of every worker's ID number on an application, one row each, for
the list's ID-number search; the employer's unified social credit code indexed for the same search

Every key is already stored on its application (``worker_keys``: the filer's number sealed at a
direct filing, the keys intake's and mediation's events carried, the workers who joined), so the
rows of existing applications are copied from there; no number is decrypted or needed.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-05
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "arb_worker_keys",
        sa.Column("worker_key", sa.String(64), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("worker_key", "application_id", name=op.f("pk_arb_worker_keys")),
    )
    op.create_index(op.f("ix_arb_worker_keys_application_id"), "arb_worker_keys", ["application_id"])
    op.create_index(op.f("ix_arb_applications_employer_uscc"), "arb_applications", ["employer_uscc"])
    conn = op.get_bind()
    found = conn.execute(sa.text("SELECT application_id, worker_keys, worker_id_number_bidx FROM arb_applications"))
    rows = []
    for application_id, keys, own in found:
        listed = json.loads(keys) if isinstance(keys, str) else (keys or [])
        for key in sorted({*listed, *([own] if own else [])}):
            rows.append({"worker_key": key, "application_id": application_id})
    if rows:
        table = sa.table("arb_worker_keys", sa.column("worker_key"), sa.column("application_id"))
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_arb_applications_employer_uscc"), table_name="arb_applications")
    op.drop_table("arb_worker_keys")
