"""routes_config of the JSON API."""
