"""OpenAPI 3.1 document built from the pydantic schemas (filled in next)."""
