"""Give a visitor the CSRF cookie a page's forms were made with (``orion_server.auth.csrf``)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orion_server.auth.csrf import CSRF_COOKIE


class CsrfCookieMiddleware:
    """Sets the cookie when the page made a token for a visitor who had none.

    Plain ASGI: it only adds a header when the response starts (``BaseHTTPMiddleware`` ran every
    request through a task and a stream of its own to do the same)."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                token = scope.get("state", {}).get("new_csrf_cookie")
                if token:
                    MutableHeaders(scope=message).append("set-cookie", self._cookie(token))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, token: str) -> str:
        made = Response()
        made.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=self.secure, path="/")
        return made.headers["set-cookie"]
