"""Safe-migration guidance bot for Telegram: content engine, bot, emulator and tools."""
