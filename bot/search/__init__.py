"""Free-text search over the content: normalisation, tokenising (with or without spaces) and the index."""
