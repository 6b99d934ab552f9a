"""Initial schema: users, processed updates, media file ids, analytics counters and unique-user sketches.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "users",
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(35), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("home_country", sa.String(2), nullable=True),
        sa.Column("home_country_asked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("campaign", sa.String(64), nullable=True),
        sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", name="pk_users"),
    )
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name="pk_processed_updates"),
    )
    op.create_index("ix_processed_updates_claimed_at", "processed_updates", ["claimed_at"])
    op.create_table(
        "media_file_ids",
        sa.Column("bot_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("media_key", sa.String(255), nullable=False),
        sa.Column("file_id", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "media_key", name="pk_media_file_ids"),
    )
    op.create_table(
        "analytics_counters",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("node", sa.String(255), nullable=False),
        sa.Column("detail", sa.String(64), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "campaign", "locale", "event", "node", "detail", name="pk_analytics_counters"),
    )
    op.create_table(
        "analytics_uniques",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("registers", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("day", "campaign", "locale", name="pk_analytics_uniques"),
    )


def downgrade() -> None:
    """Drop every table."""
    op.drop_table("analytics_uniques")
    op.drop_table("analytics_counters")
    op.drop_table("media_file_ids")
    op.drop_index("ix_processed_updates_claimed_at", table_name="processed_updates")
    op.drop_table("processed_updates")
    op.drop_table("users")
