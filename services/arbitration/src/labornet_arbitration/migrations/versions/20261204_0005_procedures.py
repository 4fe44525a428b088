"""procedures as practised: simplified procedure, postponements, service by publication,
provisional execution, partial awards, absences and withdrawal (one JSON column)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("arb_applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("procedure", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("arb_applications", schema=None) as batch_op:
        batch_op.drop_column("procedure")
