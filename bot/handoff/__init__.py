"""Talk to a person: a consented, pseudonymous relay between a user and an NGO desk, and anonymous reports."""
