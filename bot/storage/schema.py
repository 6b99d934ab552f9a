"""The database tables (SQLAlchemy Core); every change here needs an Alembic migration in `migrations/`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps naive UTC text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC; naive datetimes are refused."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


users = sa.Table(
    "users",
    metadata,
    sa.Column("user_key", sa.String(64), primary_key=True),
    sa.Column("locale", sa.String(35), nullable=True),
    sa.Column("country", sa.String(2), nullable=True),
    sa.Column("home_country", sa.String(2), nullable=True),
    sa.Column("home_country_asked", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("campaign", sa.String(64), nullable=True),
    sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

processed_updates = sa.Table(
    "processed_updates",
    metadata,
    sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("claimed_at", UtcDateTime(), nullable=False, index=True),
)

# The durable inbox: each update accepted by the webhook, stored with its claim (same transaction) before the 200,
# and deleted as soon as a handler finished it. `payload` (the update's JSON, with the sender's id and text) exists
# only while the update is in flight; a parked update (failed `INBOX_MAX_ATTEMPTS` times, the person told so) keeps
# its id, attempt count and the error's class name, never the payload. `owner` is a random per-process id.
inbox = sa.Table(
    "inbox",
    metadata,
    sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("payload", sa.Text(), nullable=True),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("lease_until", UtcDateTime(), nullable=False, index=True),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("received_at", UtcDateTime(), nullable=False),
    sa.Column("parked_at", UtcDateTime(), nullable=True),
    sa.Column("failure", sa.String(64), nullable=True),
)

# Clear-this-chat: ids of the messages in a user's chat (theirs and the bot's) from the last 48 hours, so
# /clear can delete them. Message ids only: no chat id, no text. Pruned after 48 hours; /forget deletes them.
chat_trail = sa.Table(
    "chat_trail",
    metadata,
    sa.Column("user_key", sa.String(64), primary_key=True),
    sa.Column("message_id", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("sent_at", UtcDateTime(), nullable=False, index=True),
)

# Follow-ups (opt-in): the topics a user subscribed to. `chat_id` is the one Telegram identifier the bot keeps, and only
# here: a broadcast must know where to send. `locale` is the language to send in. /stop or /forget deletes the rows.
subscriptions = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("user_key", sa.String(64), primary_key=True),
    sa.Column("topic", sa.String(32), primary_key=True),
    sa.Column("chat_id", sa.BigInteger(), nullable=False),
    sa.Column("locale", sa.String(35), nullable=False),
    sa.Column("subscribed_at", UtcDateTime(), nullable=False),
    sa.Index("ix_subscriptions_topic", "topic", "user_key"),
)

# One broadcast run: who holds it (a random per-process id) and until when (the lease), its state and when it ran.
broadcast_runs = sa.Table(
    "broadcast_runs",
    metadata,
    sa.Column("broadcast", sa.String(64), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),  # running, done, expired
    sa.Column("owner", sa.String(64), nullable=True),
    sa.Column("lease_until", UtcDateTime(), nullable=True),
    sa.Column("started_at", UtcDateTime(), nullable=False),
    sa.Column("finished_at", UtcDateTime(), nullable=True),
)

# Each recipient of a broadcast, written before the message is sent: pending (audience snapshot), sending (claimed;
# left so by a crash it becomes uncertain, not re-sent unless staff ask), then sent, blocked, failed, skipped or
# uncertain (timed out). /forget deletes a user's rows.
broadcast_deliveries = sa.Table(
    "broadcast_deliveries",
    metadata,
    sa.Column("broadcast", sa.String(64), primary_key=True),
    sa.Column("user_key", sa.String(64), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Index("ix_broadcast_deliveries_state", "broadcast", "state"),
)

# Talk to a person (docs/handoff.md): one row per case at the NGO desk. `chat_id` is the private chat the bot relays
# staff replies to; it is dropped when the case closes (and never kept for a report without follow-up questions).
# `thread_id` is the desk topic. No names, no message text. Closed rows are deleted after HANDOFF_RETENTION_DAYS;
# /forget deletes them at once.
handoff_cases = sa.Table(
    "handoff_cases",
    metadata,
    sa.Column("case_no", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("user_key", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(8), nullable=False),  # chat, report
    sa.Column("status", sa.String(8), nullable=False),  # open, closed
    sa.Column("chat_id", sa.BigInteger(), nullable=True),
    sa.Column("thread_id", sa.BigInteger(), nullable=True, index=True),
    sa.Column("locale", sa.String(35), nullable=False),
    sa.Column("country", sa.String(2), nullable=True),
    sa.Column("opened_at", UtcDateTime(), nullable=False),
    sa.Column("last_activity_at", UtcDateTime(), nullable=False),
    sa.Column("closed_at", UtcDateTime(), nullable=True, index=True),
    # The relay's rate limit (a fixed window shared by every replica) and when the person was last told the desk is
    # closed: counts and times, no content.
    sa.Column("rate_window_at", UtcDateTime(), nullable=True),
    sa.Column("rate_count", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("told_closed_at", UtcDateTime(), nullable=True),
)

# An anonymous report being answered: which of the person's messages answer which question (message ids in their
# own chat), never the answers' text, which the bot holds in memory only. Deleted when the report is sent or
# cancelled, by /forget, and an hour after it was started.
handoff_drafts = sa.Table(
    "handoff_drafts",
    metadata,
    sa.Column("user_key", sa.String(64), primary_key=True),
    sa.Column("step", sa.String(8), nullable=False),  # what, country, who, shots, follow
    sa.Column("what_id", sa.BigInteger(), nullable=True),
    sa.Column("country_id", sa.BigInteger(), nullable=True),
    sa.Column("who_id", sa.BigInteger(), nullable=True),
    sa.Column("shots", sa.String(255), nullable=False, server_default=""),  # photo message ids, comma-separated
    sa.Column("started_at", UtcDateTime(), nullable=False, index=True),
)

# Whether the NGO desk can be reached, shared by every replica so the bot's admins are told once per outage. The
# desk group's id and Telegram's words for what is wrong; nothing about any person.
desk_health = sa.Table(
    "desk_health",
    metadata,
    sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("down_reason", sa.String(255), nullable=True),  # None: reachable
    sa.Column("changed_at", UtcDateTime(), nullable=False),
)

media_file_ids = sa.Table(
    "media_file_ids",
    metadata,
    sa.Column("bot_id", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("media_key", sa.String(255), primary_key=True),
    sa.Column("file_id", sa.Text(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

analytics_counters = sa.Table(
    "analytics_counters",
    metadata,
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("campaign", sa.String(64), primary_key=True),
    sa.Column("locale", sa.String(35), primary_key=True),
    sa.Column("event", sa.String(32), primary_key=True),
    sa.Column("node", sa.String(255), primary_key=True),
    sa.Column("detail", sa.String(64), primary_key=True),
    sa.Column("count", sa.BigInteger(), nullable=False),
)

analytics_uniques = sa.Table(
    "analytics_uniques",
    metadata,
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("campaign", sa.String(64), primary_key=True),
    sa.Column("locale", sa.String(35), primary_key=True),
    sa.Column("registers", sa.LargeBinary(), nullable=False),
)
