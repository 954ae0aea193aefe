"""Request and response schemas of the API (filled in next)."""
