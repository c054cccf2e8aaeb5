"""Content: routes/pages."""
