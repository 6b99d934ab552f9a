"""Alembic migrations of the bot's database, run in code by `bot.storage.migrate`."""
