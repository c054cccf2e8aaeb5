"""Rules for codes, subdomains and domains that appear in URLs."""

from __future__ import annotations

import re

CODE_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
SUBDOMAIN_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
RESERVED_CODES = {"admin", "api", "static", "health", "platforms", "store", "storefront", "www", "_sf", "_pf"}


def code_problem(value: str) -> str | None:
    """Why ``value`` cannot be a platform or store code, or None."""
    if not value:
        return "a code is required"
    if not CODE_PATTERN.match(value):
        return "use 1 to 50 lowercase letters, digits and hyphens, starting and ending with a letter or digit"
    if value in RESERVED_CODES:
        return f"{value!r} is reserved"
    return None


def subdomain_problem(value: str) -> str | None:
    """Why ``value`` cannot be a subdomain, or None."""
    if not value:
        return "a subdomain is required"
    if not SUBDOMAIN_PATTERN.match(value):
        return "use up to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit"
    if value in RESERVED_CODES:
        return f"{value!r} is reserved"
    return None


def domain_problem(value: str) -> str | None:
    """Why ``value`` cannot be a domain name, or None."""
    if not DOMAIN_PATTERN.match(value) or "." not in value and value != "localhost":
        return "enter a domain name such as shop.example.lu, without http:// or a path"
    return None
