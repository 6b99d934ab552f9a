"""Thin update handlers: decode, look up, render, send. They are registered only in bot.app."""
