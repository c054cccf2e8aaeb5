"""Catalog module: customer-facing product browsing."""
