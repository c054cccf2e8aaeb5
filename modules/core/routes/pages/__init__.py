"""Core: routes/pages."""
