"""Developer Tools: routes/pages."""
