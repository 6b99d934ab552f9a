"""Follow-ups: opt-in subscriptions (with the chat id to send to), broadcast runs and their per-recipient deliveries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-12
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create subscriptions, broadcast_runs and broadcast_deliveries."""
    op.create_table(
        "subscriptions",
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("subscribed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", "topic", name="pk_subscriptions"),
    )
    op.create_index("ix_subscriptions_topic", "subscriptions", ["topic", "user_key"])
    op.create_table(
        "broadcast_runs",
        sa.Column("broadcast", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("broadcast", name="pk_broadcast_runs"),
    )
    op.create_table(
        "broadcast_deliveries",
        sa.Column("broadcast", sa.String(64), nullable=False),
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("broadcast", "user_key", name="pk_broadcast_deliveries"),
    )
    op.create_index("ix_broadcast_deliveries_state", "broadcast_deliveries", ["broadcast", "state"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_broadcast_deliveries_state", table_name="broadcast_deliveries")
    op.drop_table("broadcast_deliveries")
    op.drop_table("broadcast_runs")
    op.drop_index("ix_subscriptions_topic", table_name="subscriptions")
    op.drop_table("subscriptions")
