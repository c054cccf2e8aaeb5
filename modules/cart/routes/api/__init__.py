"""Cart: routes/api."""
