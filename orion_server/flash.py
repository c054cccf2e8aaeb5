"""The confirmation a page shows once after a form post (Post/Redirect/Get).

The one way: the POST redirects to ``with_done(url, "saved")``; the page it lands on passes
``flash_for(done, prefix="catalog.flash.", allowed=FLASHES, language=...)`` to its template as
``flash``, which the base templates (admin, store, storefront) show. Only a word from the
module's ``allowed`` set is accepted and the message comes from the translations, so a crafted
link cannot put text of its own on the page; reloading or sharing the URL shows the same
harmless confirmation again.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from orion_server.i18n import t

DONE_PARAM = "done"
KINDS = ("ok", "error", "info")


def with_done(url: str, done: str) -> str:
    """``url`` with ``done=<done>`` added to its query string."""
    return f"{url}{'&' if '?' in url else '?'}{DONE_PARAM}={done}"


def flash_for(
    done: str | None,
    *,
    prefix: str,
    allowed: Collection[str],
    language: str,
    kind: str = "ok",
    **params: Any,
) -> dict[str, str] | None:
    """``{"kind", "message"}`` for the base templates when ``done`` is one of ``allowed``
    (the message is the translation of ``prefix + done``); None otherwise."""
    if not done or done not in allowed or kind not in KINDS:
        return None
    return {"kind": kind, "message": t(f"{prefix}{done}", language, **params)}
