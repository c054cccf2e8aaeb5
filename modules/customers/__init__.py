"""Customers module: customer database, profiles and segmentation."""
