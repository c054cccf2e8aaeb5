"""Orion's framework layer: everything modules depend on, nothing domain-specific."""

__version__ = "0.1.0"
