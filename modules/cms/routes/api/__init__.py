"""Content: routes/api."""
