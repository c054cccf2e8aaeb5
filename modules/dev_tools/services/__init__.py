"""Developer Tools: services."""
