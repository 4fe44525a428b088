"""mediation: a case's claims and history lines as rows (appended as workers join), not JSON lists

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BATCH = 500  # cases moved per round


def upgrade() -> None:
    claims = op.create_table(
        "mediation_case_claims",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("claim", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "n", name=op.f("pk_mediation_case_claims")),
    )
    history = op.create_table(
        "mediation_case_history",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "n", name=op.f("pk_mediation_case_history")),
    )
    with op.batch_alter_table("mediation_cases") as batch:
        batch.add_column(sa.Column("claim_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("history_count", sa.Integer(), nullable=False, server_default="0"))
    _move_lists_to_rows(claims, history)
    with op.batch_alter_table("mediation_cases") as batch:
        batch.drop_column("claims")
        batch.drop_column("history_zh")


def _move_lists_to_rows(claims: sa.Table, history: sa.Table) -> None:
    """Every stored case's lists as rows, in their order, then the counts beside each case."""
    conn = op.get_bind()
    cases = sa.table(
        "mediation_cases",
        sa.column("case_id", sa.String),
        sa.column("claims", sa.JSON),
        sa.column("history_zh", sa.JSON),
        sa.column("claim_count", sa.Integer),
        sa.column("history_count", sa.Integer),
    )
    after = ""
    while True:
        query = (
            sa.select(cases.c.case_id, cases.c.claims, cases.c.history_zh)
            .where(cases.c.case_id > after)
            .order_by(cases.c.case_id)
            .limit(BATCH)
        )
        rows = conn.execute(query).all()
        if not rows:
            break
        claim_rows = [{"case_id": c, "n": n, "claim": v} for c, listed, _ in rows for n, v in enumerate(listed or [])]
        line_rows = [{"case_id": c, "n": n, "text_zh": v} for c, _, lines in rows for n, v in enumerate(lines or [])]
        if claim_rows:
            conn.execute(claims.insert(), claim_rows)
        if line_rows:
            conn.execute(history.insert(), line_rows)
        after = rows[-1][0]
    # Every case's counts in one statement, from the rows just written.
    counted = {
        "claim_count": sa.select(sa.func.count()).where(claims.c.case_id == cases.c.case_id).scalar_subquery(),
        "history_count": sa.select(sa.func.count()).where(history.c.case_id == cases.c.case_id).scalar_subquery(),
    }
    conn.execute(cases.update().values(**counted))


def downgrade() -> None:
    with op.batch_alter_table("mediation_cases") as batch:
        batch.add_column(sa.Column("claims", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("history_zh", sa.JSON(), nullable=True))
    conn = op.get_bind()
    cases = sa.table(
        "mediation_cases",
        sa.column("case_id", sa.String),
        sa.column("claims", sa.JSON),
        sa.column("history_zh", sa.JSON),
    )
    claims = sa.table("mediation_case_claims", sa.column("case_id"), sa.column("n"), sa.column("claim", sa.JSON))
    history = sa.table("mediation_case_history", sa.column("case_id"), sa.column("n"), sa.column("text_zh"))
    listed: dict[str, list[object]] = {}
    for case_id, claim in conn.execute(
        sa.select(claims.c.case_id, claims.c.claim).order_by(claims.c.case_id, claims.c.n)
    ):
        listed.setdefault(case_id, []).append(claim)
    lines: dict[str, list[str]] = {}
    for case_id, text in conn.execute(
        sa.select(history.c.case_id, history.c.text_zh).order_by(history.c.case_id, history.c.n)
    ):
        lines.setdefault(case_id, []).append(text)
    for case_id in conn.execute(sa.select(cases.c.case_id)).scalars().all():
        values = {"claims": listed.get(case_id, []), "history_zh": lines.get(case_id, [])}
        conn.execute(cases.update().where(cases.c.case_id == case_id).values(**values))
    with op.batch_alter_table("mediation_cases") as batch:
        batch.alter_column("claims", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("history_count")
        batch.drop_column("claim_count")
    op.drop_table("mediation_case_history")
    op.drop_table("mediation_case_claims")
