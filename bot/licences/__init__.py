"""Licence checks by country: where a worker can check that a recruitment agency is licensed (content)."""
