"""Talk to a person: handoff_cases (case number, user key, the chat id while open, desk topic, status, times).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-19
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create handoff_cases."""
    op.create_table(
        "handoff_cases",
        sa.Column("case_no", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("case_no", name="pk_handoff_cases"),
    )
    op.create_index("ix_handoff_cases_user_key", "handoff_cases", ["user_key"])
    op.create_index("ix_handoff_cases_thread_id", "handoff_cases", ["thread_id"])
    op.create_index("ix_handoff_cases_closed_at", "handoff_cases", ["closed_at"])


def downgrade() -> None:
    """Drop handoff_cases."""
    op.drop_index("ix_handoff_cases_closed_at", table_name="handoff_cases")
    op.drop_index("ix_handoff_cases_thread_id", table_name="handoff_cases")
    op.drop_index("ix_handoff_cases_user_key", table_name="handoff_cases")
    op.drop_table("handoff_cases")
