"""The events the bot counts; nothing else is ever recorded."""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    """One kind of countable interaction."""

    START = "start"
    NODE_VIEW = "node_view"
    HELPLINE_SHOWN = "helpline_shown"
    NUMBER_FAILED = "number_failed"  # "this number did not work"; detail: the directory entry, never the person
    SEARCH_HIT = "search_hit"
    SEARCH_MISS = "search_miss"
    QUIZ_STARTED = "quiz_started"
    QUIZ_FINISHED = "quiz_finished"
    LANGUAGE_CHANGED = "language_changed"
    OFFER_CHECKED = "offer_checked"  # a job advert checked; detail: the band (never the advert)
    OFFER_SIGN = "offer_sign"  # a warning sign found in a checked advert; detail: the sign's id


FUNNEL = (Event.START, Event.NODE_VIEW, Event.HELPLINE_SHOWN)
"""The steps of the report funnel: people arrive, read pages, are shown a helpline."""
