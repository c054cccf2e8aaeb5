"""Marketplace module: letzshop integration: product import and export, marketplace orders."""
