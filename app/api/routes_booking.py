"""routes_booking of the JSON API."""
