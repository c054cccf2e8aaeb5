"""Cart: routes/pages."""
