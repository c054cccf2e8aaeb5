"""Where Orion's own files are, in a checkout and inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
    PROJECT_ROOT = Path(sys._MEIPASS)  # type: ignore[attr-defined]
else:
    PROJECT_ROOT = Path(__file__).resolve().parent.parent

RESOURCES_DIR = PROJECT_ROOT / "resources"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
FONTS_DIR = PROJECT_ROOT / "orion_server" / "resources" / "fonts"
"""The fonts PDF documents embed (``orion_server/pdf.py``); inside the package so a wheel has them too."""
