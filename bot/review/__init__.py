"""Native speakers' review: every text a reader sees, exported for review, signed off text by text."""
