"""receipt and representatives: the moment a complaint was typed in, apart from the moment it
was received (the clerk's record); the representatives of collective disputes (LDA Art. 7)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PII_FIELDS = ("id_number", "phone")


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True))
    # Complaints filed so far were received the moment they were typed in.
    op.execute("UPDATE complaints SET registered_at = received_at")
    op.create_table(
        "representatives",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        *(
            column
            for name in PII_FIELDS
            for column in (
                sa.Column(f"{name}_enc", sa.Text(), nullable=True),
                sa.Column(f"{name}_bidx", sa.String(64), nullable=True),
            )
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("case_id", "position", name=op.f("pk_representatives")),
    )
    for name in PII_FIELDS:
        op.create_index(op.f(f"ix_representatives_{name}_bidx"), "representatives", [f"{name}_bidx"])


def downgrade() -> None:
    for name in PII_FIELDS:
        op.drop_index(op.f(f"ix_representatives_{name}_bidx"), table_name="representatives")
    op.drop_table("representatives")
    with op.batch_alter_table("complaints") as batch:
        batch.drop_column("registered_at")
