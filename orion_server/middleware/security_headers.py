"""Security headers on every response: a strict Content-Security-Policy on HTML pages, and
``nosniff``, a referrer policy and (over HTTPS only) HSTS everywhere.

A header the route already set wins, so a page can relax or extend its policy::

    response.headers["Content-Security-Policy"] = content_security_policy(
        add={"style-src": "'unsafe-inline'"}
    )

The policy allows no inline script, handler attribute or style: behaviour lives in static
JavaScript files (``resources/static/js/orion.js`` and module ``static/`` folders), looks in
static CSS files. ``tests/server/test_security_headers.py`` renders the pages and fails
on anything inline, so a template cannot break the policy silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No form leaves the site: PayPal's approval is a link, and every form posts to Orion, which
# redirects only to its own pages. The one page that confirms a card with Stripe's client
# secret (billing's subscription card page) widens its own policy to Stripe's hosts
# (``content_security_policy(add=...)``); every other page keeps this one.
DEFAULT_CSP: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "style-src": ("'self'",),
    "script-src": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
    "base-uri": ("'self'",),
    "object-src": ("'none'",),
}
# Nothing in Orion uses these browser features; a page that does sets its own header.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), usb=(), payment=()"
REFERRER_POLICY = "strict-origin-when-cross-origin"
# Only ever sent over HTTPS (a browser ignores it over HTTP anyway); one year, no subdomains,
# because other hosts under a platform's domain may not be Orion's.
HSTS = "max-age=31536000"


def _sources(value: str | Iterable[str]) -> list[str]:
    return value.split() if isinstance(value, str) else [s for v in value for s in v.split()]


def content_security_policy(
    add: Mapping[str, str | Iterable[str]] | None = None,
    replace: Mapping[str, str | Iterable[str] | None] | None = None,
) -> str:
    """The default policy as a header value, with sources added to directives (``add``) or
    directives replaced (``replace``; ``None`` drops a directive)."""
    directives: dict[str, list[str]] = {name: list(sources) for name, sources in DEFAULT_CSP.items()}
    for name, value in (add or {}).items():
        current = directives.setdefault(name, list(DEFAULT_CSP["default-src"]))
        current.extend(s for s in _sources(value) if s not in current)
        if "'none'" in current and len(current) > 1:
            current.remove("'none'")
    for name, value in (replace or {}).items():
        if value is None:
            directives.pop(name, None)
        else:
            directives[name] = _sources(value)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


DEFAULT_CSP_HEADER = content_security_policy()


class SecurityHeadersMiddleware:
    """Adds the headers a response does not carry yet; added outermost so every response
    (pages, the API, static files, redirects, 413s) passes through it."""

    def __init__(self, app: ASGIApp, content_security_policy: str = DEFAULT_CSP_HEADER) -> None:
        self.app = app
        self.csp = content_security_policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(scope, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _add(self, scope: Scope, headers: MutableHeaders) -> None:
        headers.setdefault("x-content-type-options", "nosniff")
        headers.setdefault("referrer-policy", REFERRER_POLICY)
        # The platform context middleware has set the scheme from a trusted X-Forwarded-Proto
        # by the time the response starts; an untrusted client's header never counts.
        if scope.get("scheme") == "https":
            headers.setdefault("strict-transport-security", HSTS)
        if headers.get("content-type", "").lower().startswith("text/html"):
            headers.setdefault("content-security-policy", self.csp)
            headers.setdefault("x-frame-options", "DENY")
            headers.setdefault("permissions-policy", PERMISSIONS_POLICY)
