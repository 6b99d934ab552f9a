"""Follow-ups: topics people opt in to, broadcasts written like content, and the sender that delivers them."""
