"""Developer Tools: routes."""
