"""The scam-check self-assessment: a quiz node type, its stateless answer encoding and its screens."""
