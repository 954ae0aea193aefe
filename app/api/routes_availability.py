"""routes_availability of the JSON API."""
