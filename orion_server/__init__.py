"""Orion's framework layer: everything modules depend on, nothing domain-specific."""

from __future__ import annotations


def _version() -> str:
    """The one version number: ``pyproject.toml``'s, as the installed package's metadata carries
    it (the frozen program bundles that metadata); a source tree run without installing reads
    the file itself."""
    from importlib import metadata

    try:
        return metadata.version("orion")
    except metadata.PackageNotFoundError:
        import tomllib
        from pathlib import Path

        project = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return tomllib.loads(project.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"


__version__ = _version()
