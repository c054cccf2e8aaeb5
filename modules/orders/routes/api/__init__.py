"""Orders: routes/api."""
