"""Developer Tools: routes/api."""
