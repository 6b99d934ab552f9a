"""The job-offer check: forward or paste an advert, see its warning signs (docs/offer-check.md)."""
