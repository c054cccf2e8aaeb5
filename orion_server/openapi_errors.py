"""Every error answer an API route can give, declared in the OpenAPI description.

Routes declare their success answers; the errors come from layers every route shares, so they
are declared here, from what each route is made of, as each module's API router is mounted:

| status | when | routes |
|---|---|---|
| 400 | the Host names no platform or store of this server; a provider's webhook is forged | every route |
| 401 | nobody is signed in, or the credentials are wrong | routes that read the signed-in user or customer, sign-in |
| 403 | a missing permission; a missing CSRF token; staff routes from another computer | signed-in routes, unsafe methods |
| 404 | the module is off here; the store or the object does not exist (or is someone else's) | every route |
| 409 | the change clashes with the data (a duplicate, a status that forbids it) | unsafe methods |
| 413 | the body is larger than the server takes | unsafe methods |
| 422 | a field breaks a rule, ``fields`` names each | every route |
| 429 | too many requests or sign-in attempts from this client | rate-limited and sign-in routes |
| 502 | the payment provider failed | payments and checkout writes |
| 503 | the database is unreachable or the server is at capacity | every route |

Each uses the one error shape, ``ErrorOut``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi.routing import APIRoute
from fastapi.utils import create_model_field
from pydantic import BaseModel

from orion_server.deps import is_route_guard

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
USER_READERS = {"get_current_user", "get_optional_user", "get_staff", "get_current_customer", "get_optional_customer"}


class FieldErrorOut(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    """Every error answer of the API."""

    error: str
    message: str
    field: str | None = None
    fields: list[FieldErrorOut] | None = None
    details: dict[str, Any] | None = None


DESCRIPTIONS = {
    400: "The Host is not one of this server's, or the request is malformed or forged.",
    401: "Sign in first.",
    403: "Not allowed: a permission, the CSRF token, or staff access from this computer only.",
    404: "Not found here (or the module is off on this platform).",
    409: "The change clashes with the current data.",
    413: "The body is too large.",
    422: "Some fields break a rule; `fields` names each.",
    429: "Too many requests from this client; `Retry-After` says when to try again.",
    502: "The payment provider failed; nothing was charged twice.",
    503: "The server cannot answer right now; try again shortly.",
}


def _dependency_calls(route: APIRoute) -> list[Any]:
    """What the route itself depends on, without the guards the framework adds to every route
    (their answers are in the table above for every route or every unsafe method)."""
    found: list[Any] = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if is_route_guard(dependency.call):
            continue
        found.append(dependency.call)
        pending.extend(dependency.dependencies)
    return found


def statuses_of(route: APIRoute, path: str) -> set[int]:
    """The error statuses ``route`` (mounted at ``path``) can answer (see the table above)."""
    calls = _dependency_calls(route)
    names = {getattr(call, "__name__", "") for call in calls}
    methods = set(route.methods or ())
    statuses = {400, 404, 422, 503}
    if methods & UNSAFE:
        statuses |= {403, 409, 413, 429}
    if names & USER_READERS or any(getattr(c, "required_permission", None) for c in calls):
        statuses |= {401, 403}
    if any(hasattr(call, "rate_limit") for call in calls):
        statuses.add(429)
    if path.endswith("/session"):  # signing in: wrong credentials, throttled guesses
        statuses |= {401, 429}
    if methods & UNSAFE and ("/payments/" in path or "/checkout/" in path):
        statuses.add(502)
    return statuses


def document_errors(route: APIRoute) -> None:
    """Add the error answers ``route`` can give to its OpenAPI responses. Every status shares
    one description of ``ErrorOut``, built once, rather than a model field per route and status."""
    for status in sorted(statuses_of(route, route.path)):
        entry = route.responses.setdefault(status, {})
        entry.setdefault("model", ErrorOut)
        entry.setdefault("description", DESCRIPTIONS[status])
        if entry["model"] is ErrorOut:
            route.response_fields[status] = _error_field()


@cache
def _error_field() -> Any:
    return create_model_field(name="ErrorOut", type_=ErrorOut, mode="serialization")
