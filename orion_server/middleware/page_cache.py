"""Serve public storefront pages from the page cache, each filled for its visitor
(``orion_server.page_cache`` says what is kept, for how long, and why it is safe)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orion_server.modules.context import page_fill_for
from orion_server.modules.enums import FrontendType
from orion_server.page_cache import Copy, Key, PageCache, PageFill, generation

# Made once per page, whatever the visitor: the response's own headers are kept, but a cookie
# set while making it belongs to the visitor it was made for, and the length changes per visitor.
_NOT_KEPT = {b"set-cookie", b"content-length"}
CACHE_CONTROL = b"private, no-cache"


class PageCacheMiddleware:
    """Inside the platform context (which resolved store and language) and the CSRF cookie
    (which hands a new visitor the token put into their page)."""

    def __init__(self, app: ASGIApp, *, cache: PageCache | None) -> None:
        self.app = app
        self.cache = cache
        self._making: dict[Key, asyncio.Event] = {}
        """The pages being made now, each set when done (with a copy or without)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope) if self.cache is not None else None
        if key is None:
            await self.app(scope, receive, send)
            return
        assert self.cache is not None
        copy, remaking = self.cache.lookup(key, time.monotonic())
        making = self._making.get(key)
        if copy is None and not remaking and making is not None and self.cache.known(key):
            # another shopper is making this page again: wait for it rather than make it too
            # (on a loaded machine every shopper making a busy page at once took seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(making.wait(), self.cache.max_age)
            copy, remaking = self.cache.lookup(key, time.monotonic())
        if copy is not None:
            fill = await run_in_threadpool(page_fill_for, Request(scope))
            if fill is not None:
                self.cache.hits += 1
                scope["route"] = copy.route
                await _send(send, copy.status, copy.headers, fill.into(copy.body), scope=scope)
                return
        made = None if key in self._making else self._making.setdefault(key, asyncio.Event())
        try:
            await self._make(key, scope, receive, send)
        finally:
            if remaking:
                self.cache.made(key)
            if made is not None:
                del self._making[key]
                made.set()

    @staticmethod
    def _key(scope: Scope) -> Key | None:
        """What a page may differ by, for a GET of a storefront page; None for anything else."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        state = scope.get("state") or {}
        store = state.get("store")
        if state.get("frontend") is not FrontendType.STOREFRONT or store is None:
            return None
        if state.get("is_api") or state.get("resolution_error"):
            return None
        host = next((value for name, value in scope["headers"] if name == b"host"), b"")
        return (
            store.id,
            state.get("language"),
            state.get("storefront_root"),
            scope["path"],
            scope["query_string"],
            scope["scheme"],
            host,
        )

    async def _make(self, key: Key, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the route make the page; when it made it for everyone, keep a copy (a 200) and
        fill the holes for this visitor."""
        assert self.cache is not None
        state = scope["state"]
        state["page_cache_key"] = key
        made_at, made_in = time.monotonic(), generation()
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            fill: PageFill | None = state.get("page_fill")
            if fill is None or start is None and message["type"] != "http.response.start":
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = [(name, value) for name, value in start["headers"] if name.lower() != b"content-length"]
            if start["status"] == 200 and _is_html(headers):
                kept = [(name, value) for name, value in headers if name.lower() not in _NOT_KEPT]
                self.cache.keep(key, Copy(made_at, made_in, 200, kept, body, scope.get("route")))
            await _send(send, start["status"], headers, fill.into(body), start, scope=scope)

        await self.app(scope, receive, capture)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)


def _etag(body: bytes) -> bytes:
    """A validator of the page as this visitor gets it (their token and header included)."""
    return b'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def _validators(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> list[tuple[bytes, bytes]]:
    """An anonymous shopper's page may be kept by their browser only (it holds their CSRF token
    and cart), and asked again each time (prices and stock move): ``private, no-cache`` with an
    ETag, so an unchanged page costs a 304 instead of its bytes."""
    if status != 200 or not _is_html(headers):
        return headers
    kept = [(name, value) for name, value in headers if name.lower() not in (b"cache-control", b"etag")]
    return [*kept, (b"cache-control", CACHE_CONTROL), (b"etag", _etag(body))]


def _not_modified(scope: Scope | None, headers: list[tuple[bytes, bytes]]) -> bool:
    if scope is None:
        return False
    etag = next((value for name, value in headers if name == b"etag"), None)
    asked = next((value for name, value in scope["headers"] if name == b"if-none-match"), None)
    return etag is not None and asked is not None and etag in [tag.strip() for tag in asked.split(b",")]


async def _send(
    send: Send,
    status: int,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    start: dict[str, Any] | None = None,
    *,
    scope: Scope | None = None,
) -> None:
    headers = _validators(status, headers, body)
    message = dict(start or {"type": "http.response.start"})
    if _not_modified(scope, headers):
        kept = [(name, value) for name, value in headers if name.lower() != b"content-type"]
        message.update(status=304, headers=kept)
        await send(message)
        await send({"type": "http.response.body", "body": b""})
        return
    message.update(status=status, headers=[*headers, (b"content-length", str(len(body)).encode())])
    await send(message)
    await send({"type": "http.response.body", "body": body})
