"""Core: routes/api."""
