"""Fetching an imported product's pictures by URL: only from the hosts the operator allows
(``MARKETPLACE_IMAGE_HOSTS``), never from a loopback, private, link-local or otherwise
non-public address (nor through a redirect to one), at most 5 MB, JPEG, PNG or WebP only."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 3
TIMEOUT = 10.0
TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}

Resolver = Callable[[str, int], list[str]]


class ImageRefused(Exception):
    """A picture that may not or cannot be fetched; ``key`` is the translation of why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to."""
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
    except (OSError, UnicodeError):
        raise ImageRefused("marketplace.import.errors.image_unreachable") from None


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    """``host`` is one of ``allowed``, or a subdomain of a ``*.domain`` entry."""
    for entry in allowed:
        if entry.startswith("*.") and (host == entry[2:] or host.endswith(entry[1:])):
            return True
        if host == entry:
            return True
    return False


def public_address(address: str) -> bool:
    """Whether ``address`` is on the public internet (not loopback, private, link-local,
    reserved, multicast or unspecified; an IPv4-mapped IPv6 address is judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)


def _check_url(url: str, allowed: Sequence[str], resolver: Resolver) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImageRefused("marketplace.import.errors.image_url")
    host = parts.hostname.lower().rstrip(".")
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = []
    if not host_allowed(host, allowed):
        raise ImageRefused("marketplace.import.errors.image_host", host=host)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for address in addresses or resolver(host, port):
        if not public_address(address):
            raise ImageRefused("marketplace.import.errors.image_private", host=host)


def fetch_image(
    url: str,
    *,
    allowed_hosts: Sequence[str],
    resolver: Resolver = resolve,
    transport: httpx.BaseTransport | None = None,
) -> tuple[str, bytes]:
    """``(file name, data)`` of the picture at ``url``; ImageRefused saying why not. Every
    redirect is checked like the first address."""
    import httpx  # with the first import's pictures: a server worker starts without it

    with httpx.Client(timeout=TIMEOUT, follow_redirects=False, transport=transport) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            _check_url(url, allowed_hosts, resolver)
            try:
                with client.stream("GET", url, headers={"Accept": ", ".join(TYPES)}) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code != 200:
                        raise ImageRefused("marketplace.import.errors.image_status", status=response.status_code)
                    content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
                    if content_type not in TYPES:
                        raise ImageRefused("marketplace.import.errors.image_type")
                    if int(response.headers.get("content-length") or 0) > MAX_BYTES:
                        raise ImageRefused("marketplace.import.errors.image_size", max=MAX_BYTES // (1024 * 1024))
                    data = bytearray()
                    for chunk in response.iter_bytes():
                        data += chunk
                        if len(data) > MAX_BYTES:
                            raise ImageRefused("marketplace.import.errors.image_size", max=MAX_BYTES // (1024 * 1024))
            except httpx.HTTPError:
                raise ImageRefused("marketplace.import.errors.image_unreachable") from None
            name = urlsplit(url).path.rsplit("/", 1)[-1] or "picture"
            return name[:100] if "." in name else name[:90] + TYPES[content_type], bytes(data)
    raise ImageRefused("marketplace.import.errors.image_redirects")
