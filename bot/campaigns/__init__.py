"""NGO campaigns: codes in campaigns.yaml, deep links and QR codes, and first-touch attribution."""

from __future__ import annotations

from bot.campaigns.lookup import campaign_lookup
from bot.campaigns.model import NAME, Campaign, Campaigns, campaigns_of, is_known

__all__ = ["NAME", "Campaign", "Campaigns", "campaign_lookup", "campaigns_of", "is_known"]
