"""Talk to a person across replicas and restarts: the relay's rate window and the out-of-hours notice on each case,
and handoff_drafts (which message answers which question of an unfinished report: ids, never text).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the shared counters to handoff_cases; create handoff_drafts."""
    with op.batch_alter_table("handoff_cases") as batch:
        batch.add_column(sa.Column("rate_window_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("rate_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("told_closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "handoff_drafts",
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("step", sa.String(8), nullable=False),
        sa.Column("what_id", sa.BigInteger(), nullable=True),
        sa.Column("country_id", sa.BigInteger(), nullable=True),
        sa.Column("who_id", sa.BigInteger(), nullable=True),
        sa.Column("shots", sa.String(255), nullable=False, server_default=""),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", name="pk_handoff_drafts"),
    )
    op.create_index("ix_handoff_drafts_started_at", "handoff_drafts", ["started_at"])


def downgrade() -> None:
    """Drop handoff_drafts and the shared counters."""
    op.drop_index("ix_handoff_drafts_started_at", table_name="handoff_drafts")
    op.drop_table("handoff_drafts")
    with op.batch_alter_table("handoff_cases") as batch:
        batch.drop_column("told_closed_at")
        batch.drop_column("rate_count")
        batch.drop_column("rate_window_at")
