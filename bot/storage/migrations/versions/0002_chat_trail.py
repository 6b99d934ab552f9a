"""Clear-this-chat: the ids of recent messages in a user's chat, under the user key, kept at most 48 hours.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create chat_trail."""
    op.create_table(
        "chat_trail",
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", "message_id", name="pk_chat_trail"),
    )
    op.create_index("ix_chat_trail_sent_at", "chat_trail", ["sent_at"])


def downgrade() -> None:
    """Drop chat_trail."""
    op.drop_index("ix_chat_trail_sent_at", table_name="chat_trail")
    op.drop_table("chat_trail")
