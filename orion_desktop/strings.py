"""Console text: every sentence the operator reads goes through ``tr`` (English for now)."""

from __future__ import annotations

from typing import Any


def tr(text: str, **params: Any) -> str:
    """The console text ``text`` with ``{name}`` placeholders filled (translations come later)."""
    return text.format(**params) if params else text


def join_names(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return tr("{first} and {last}", first=", ".join(names[:-1]), last=names[-1])
