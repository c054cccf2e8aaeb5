"""Orion's built-in modules; each sub-package with a ``definition.py`` is discovered."""
