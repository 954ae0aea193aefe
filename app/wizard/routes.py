"""Customer wizard pages."""
