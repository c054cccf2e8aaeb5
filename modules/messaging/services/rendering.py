"""Rendering email templates in a Jinja2 sandbox, and checking staff-written ones."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import jinja2
from jinja2 import StrictUndefined, meta
from jinja2.sandbox import SandboxedEnvironment

from modules.messaging.exceptions import MessagingInputError, Problem
from modules.messaging.templates_builtin import BUILTIN_TEMPLATES, TemplateSpec
from orion_server.i18n import format_money

FIELDS = ("subject", "body_html", "body_text")
MAX_SUBJECT = 300
MAX_BODY = 100_000


class RenderedEmail(NamedTuple):
    """An email ready to send."""

    subject: str
    html: str
    text: str


class TemplateSource(NamedTuple):
    """The Jinja source of one template and where it comes from (store, platform, builtin)."""

    subject: str
    body_html: str
    body_text: str
    origin: str


def spec_for(code: str) -> TemplateSpec:
    """The built-in definition of ``code``; a ValidationError for an unknown code."""
    spec = BUILTIN_TEMPLATES.get(code)
    if spec is None:
        raise MessagingInputError([Problem("code", "messaging.errors.unknown_code", {"code": code})])
    return spec


@lru_cache(maxsize=16)
def environment(language: str, html: bool) -> SandboxedEnvironment:
    """The sandbox for one language: autoescaped for HTML, ``money`` formats cents."""
    env = SandboxedEnvironment(
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=html,
        keep_trailing_newline=False,
    )
    env.filters["money"] = lambda cents: format_money(int(cents), language)
    return env


@lru_cache(maxsize=512)
def _compile(language: str, html: bool, source: str) -> jinja2.Template:
    return environment(language, html).from_string(source)


def check_source(spec: TemplateSpec, language: str, source: TemplateSource | dict[str, str]) -> None:
    """Syntax, only declared variables, and the essential ones still used; else a ValidationError."""
    values = source._asdict() if isinstance(source, TemplateSource) else source
    allowed = set(spec.variables)
    used: set[str] = set()
    for field in FIELDS:
        text = values.get(field) or ""
        if field == "subject" and not text.strip():
            raise MessagingInputError([Problem(field, "messaging.errors.subject_required")])
        limit = MAX_SUBJECT if field == "subject" else MAX_BODY
        if len(text) > limit:
            raise MessagingInputError([Problem(field, "messaging.errors.too_long", {"limit": limit})])
        env = environment(language, field == "body_html")
        try:
            tree = env.parse(text)
        except jinja2.TemplateSyntaxError as exc:
            problem = Problem(field, "messaging.errors.syntax", {"line": exc.lineno, "detail": exc.message or ""})
            raise MessagingInputError([problem]) from None
        names = meta.find_undeclared_variables(tree) - set(env.globals)
        unknown = sorted(names - allowed)
        if unknown:
            params = {"names": ", ".join(unknown), "allowed": ", ".join(spec.variables)}
            raise MessagingInputError([Problem(field, "messaging.errors.unknown_variable", params)])
        if field != "subject":
            used |= names
    missing = [name for name in spec.essential if name not in used]
    if missing:
        params = {"names": ", ".join(missing)}
        raise MessagingInputError([Problem("body_html", "messaging.errors.essential_missing", params)])


def render_source(
    spec: TemplateSpec, language: str, source: TemplateSource | dict[str, str], variables: dict[str, Any]
) -> RenderedEmail:
    """Render a checked source with ``variables`` (optional ones default to None)."""
    values = source._asdict() if isinstance(source, TemplateSource) else source
    missing = [name for name in spec.required if name not in variables]
    if missing:
        params = {"names": ", ".join(missing)}
        raise MessagingInputError([Problem("variables", "messaging.errors.missing_variables", params)])
    context = {name: None for name in spec.optional}
    context.update({k: v for k, v in variables.items() if k in spec.variables})
    rendered: dict[str, str] = {}
    for field in FIELDS:
        try:
            template = _compile(language, field == "body_html", values.get(field) or "")
            rendered[field] = template.render(context)
        except Exception as exc:  # a staff template may fail in many ways: all are input errors
            detail = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            problem = Problem(field, "messaging.errors.render_failed", {"detail": detail[:200]})
            raise MessagingInputError([problem]) from None
    subject = " ".join(rendered["subject"].split())[:MAX_SUBJECT]
    return RenderedEmail(subject, rendered["body_html"].strip() + "\n", rendered["body_text"].strip() + "\n")
