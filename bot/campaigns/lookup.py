"""The deep-link campaign lookup wired into Services: finds a campaign and decides whether it is attributed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.campaigns.model import campaigns_of, utc_today
from bot.content.model import Content
from bot.deeplinks import CampaignLookup, Landing

__all__ = ["campaign_lookup", "utc_today"]


def campaign_lookup(today: Callable[[], date] = utc_today) -> CampaignLookup:
    """A lookup for `parse_payload`: outside its active dates a campaign still lands, but is not attributed."""

    def lookup(content: Content, code: str) -> Landing | None:
        campaign = campaigns_of(content).get(code)
        if campaign is None:
            return None
        attributed = campaign.code if campaign.active_on(today()) else ""
        return Landing(attributed, campaign.locale, campaign.landing)

    return lookup
