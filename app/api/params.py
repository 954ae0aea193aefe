"""Query-string parsing helpers for the API (filled in next)."""
