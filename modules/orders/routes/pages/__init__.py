"""Orders: routes/pages."""
