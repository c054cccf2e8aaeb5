"""The component library: every shared macro and partial of ``resources/templates``, and the
shared stylesheet's patterns, each with examples of its variants.

An example is the Jinja a template author writes (shown to be copied) and is rendered by the
app's own Jinja environment, so what the library shows is what that code gives. Which macros
and partials exist is read from the templates' syntax trees (``shared_components``): one the
catalogue has no entry for is listed by ``missing_entries`` (and fails the module's tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from markupsafe import Markup

from modules.contracts.widgets import DashboardWidget, WidgetItem
from orion_server.dashboards import UnavailableWidget
from orion_server.modules import registry
from orion_server.paths import RESOURCES_DIR

logger = logging.getLogger(__name__)

MACRO = "macro"
PARTIAL = "partial"
PATTERN = "pattern"


@dataclass(frozen=True)
class Example:
    """One variant of a component: the code to copy and the sample data it is rendered with."""

    label_key: str
    code: str
    """Jinja source as a template would hold it (after the component's import line)."""
    context: dict[str, Any] | Callable[[Callable[..., str]], dict[str, Any]] = field(default_factory=dict)
    """Values a route would give the template (shown beside the code as what it needs), or a
    function of the page's ``t`` making them in the reader's language."""
    markup_only: bool = False
    """True for output nothing shows (hidden inputs, <head> tags): the library shows the HTML."""


@dataclass(frozen=True)
class Component:
    """A macro (``file:name``), a partial (its file) or a pattern of the shared stylesheet."""

    key: str
    kind: str
    title: str
    template: str
    """The file it lives in (``resources/templates/...`` or the stylesheet)."""
    description_key: str
    examples: tuple[Example, ...]
    import_line: str = ""

    @property
    def anchor(self) -> str:
        return "c-" + "".join(ch if ch.isalnum() else "-" for ch in self.key).strip("-")


@dataclass
class RenderedExample:
    example: Example
    html: Markup
    error: str = ""
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class RenderedComponent:
    component: Component
    examples: list[RenderedExample]


def _import(file: str, alias: str) -> str:
    return f'{{% import "{file}" as {alias} %}}'


def _from(file: str, name: str, with_context: bool = False) -> str:
    return f'{{% from "{file}" import {name}{" with context" if with_context else ""} %}}'


FORMS = "shared/macros/forms.html"
PLANS = "shared/macros/plans.html"
WIDGETS = "shared/macros/widgets.html"
ICONS = "shared/macros/icons.html"

_SAMPLE_PLATFORMS = [{"id": 1, "code": "main", "name": "Orion Luxembourg"}, {"id": 2, "code": "wine", "name": "Moselle Wines"}]
_SAMPLE_SEO = {
    "indexable": True, "canonical": "https://bakery.example.lu/en/", "og_locale": "en_GB",
    "alternates": [("de", "https://bakery.example.lu/de/"), ("fr", "https://bakery.example.lu/fr/")],
    "alternate_locales": ["de_DE", "fr_FR"],
}



def _sample_widgets(t: Callable[..., str]) -> dict[str, Any]:
    return {"widgets": [
        DashboardWidget(key="orders.today", title=t("dev_tools.sample.orders_today"), value="12",
                        hint=t("dev_tools.sample.orders_hint"), link="#orders"),
        DashboardWidget(key="inventory.low", title=t("dev_tools.sample.low_stock"), value="3", items=[
            WidgetItem("Rye bread", "2", "#rye"), WidgetItem("Croissant", "1")]),
        UnavailableWidget(key="loyalty.unavailable", module="Loyalty"),
    ]}


CATALOGUE: tuple[Component, ...] = (
    # -- shared/macros/forms.html ---------------------------------------------------------
    Component(
        key=f"{FORMS}:field", kind=MACRO, title="field", template=FORMS,
        description_key="dev_tools.components.field", import_line=_import(FORMS, "forms"),
        examples=(
            Example("dev_tools.components.variant.plain",
                    "{{ forms.field('name', t('dev_tools.sample.name'), value='Anna Muller') }}"),
            Example("dev_tools.components.variant.required_help",
                    "{{ forms.field('email', t('dev_tools.sample.email'), type='email', required=true,\n"
                    "         help=t('dev_tools.sample.email_help')) }}"),
            Example("dev_tools.components.variant.error",
                    "{{ forms.field('email', t('dev_tools.sample.email'), value='anna@', type='email',\n"
                    "         errors={'email': t('dev_tools.sample.email_error')}) }}"),
            Example("dev_tools.components.variant.attrs",
                    "{{ forms.field('quantity', t('dev_tools.sample.quantity'), value=3, type='number',\n"
                    "         attrs='min=\"1\" max=\"99\"') }}"),
        ),
    ),
    Component(
        key=f"{FORMS}:select", kind=MACRO, title="select", template=FORMS,
        description_key="dev_tools.components.select", import_line=_import(FORMS, "forms"),
        examples=(
            Example("dev_tools.components.variant.plain",
                    "{{ forms.select('country', t('dev_tools.sample.country'),\n"
                    "          [('LU', 'Luxembourg'), ('BE', 'Belgique'), ('DE', 'Deutschland')], selected='LU') }}"),
            Example("dev_tools.components.variant.error",
                    "{{ forms.select('plan', t('dev_tools.sample.plan'), [('', '—'), ('pro', 'Pro')],\n"
                    "          errors={'plan': t('dev_tools.sample.plan_error')}) }}"),
        ),
    ),
    Component(
        key=f"{FORMS}:csrf", kind=MACRO, title="csrf", template=FORMS,
        description_key="dev_tools.components.csrf", import_line=_import(FORMS, "forms"),
        examples=(
            Example("dev_tools.components.variant.in_form", "{{ forms.csrf(csrf_token) }}", markup_only=True),
        ),
    ),
    Component(
        key=f"{FORMS}:pagination", kind=MACRO, title="pagination", template=FORMS,
        description_key="dev_tools.components.pagination", import_line=_import(FORMS, "forms"),
        examples=(
            Example("dev_tools.components.variant.first_page", "{{ forms.pagination(1, 8, '?q=bread&') }}"),
            Example("dev_tools.components.variant.middle_page", "{{ forms.pagination(4, 8, '?q=bread&') }}"),
            Example("dev_tools.components.variant.last_page", "{{ forms.pagination(8, 8, '?') }}"),
        ),
    ),
    # -- shared/macros/plans.html ---------------------------------------------------------
    Component(
        key=f"{PLANS}:locked_feature", kind=MACRO, title="locked_feature", template=PLANS,
        description_key="dev_tools.components.locked_feature", import_line=_from(PLANS, "locked_feature"),
        examples=(
            Example("dev_tools.components.variant.upgrade",
                    "{{ locked_feature({'name': t('dev_tools.sample.feature'), 'needed_tier': 'Pro',\n"
                    "                   'plans_path': '#plans'}, t) }}"),
            Example("dev_tools.components.variant.nowhere",
                    "{{ locked_feature({'name': t('dev_tools.sample.feature'), 'needed_tier': none}, t) }}"),
        ),
    ),
    Component(
        key=f"{PLANS}:limit_warning", kind=MACRO, title="limit_warning", template=PLANS,
        description_key="dev_tools.components.limit_warning", import_line=_from(PLANS, "limit_warning"),
        examples=(
            Example("dev_tools.components.variant.near",
                    "{{ limit_warning({'full': false, 'used': 85, 'limit': 100, 'percent': 85,\n"
                    "                  'lifted_by': 'Pro', 'plans_path': '#plans'}, t('dev_tools.sample.products'), t) }}"),
            Example("dev_tools.components.variant.full",
                    "{{ limit_warning({'full': true, 'used': 100, 'limit': 100, 'tier': 'Starter',\n"
                    "                  'lifted_by': 'Pro', 'plans_path': '#plans'}, t('dev_tools.sample.products'), t) }}"),
        ),
    ),
    # -- shared/macros/widgets.html -------------------------------------------------------
    Component(
        key=f"{WIDGETS}:widget_cards", kind=MACRO, title="widget_cards", template=WIDGETS,
        description_key="dev_tools.components.widget_cards", import_line=_from(WIDGETS, "widget_cards"),
        examples=(
            Example("dev_tools.components.variant.widgets", "{{ widget_cards(widgets, t) }}",
                    context=_sample_widgets),
        ),
    ),
    # -- shared/macros/icons.html ---------------------------------------------------------
    Component(
        key=f"{ICONS}:icon", kind=MACRO, title="icon", template=ICONS,
        description_key="dev_tools.components.icon", import_line=_from(ICONS, "icon", with_context=True),
        examples=(
            Example("dev_tools.components.variant.sizes",
                    "{{ icon('package', 16) }} {{ icon('package') }} {{ icon('package', 32) }}"),
            Example("dev_tools.components.variant.labelled",
                    "<a href=\"#cart\">{{ icon('shopping-bag', label=t('dev_tools.sample.cart')) }}</a>\n"
                    "<button type=\"button\">{{ icon('mail', 16) }} {{ t('dev_tools.sample.send') }}</button>"),
        ),
    ),
    # -- partials -------------------------------------------------------------------------
    Component(
        key="shared/language_switcher.html", kind=PARTIAL, title="language_switcher",
        template="shared/language_switcher.html", description_key="dev_tools.components.language_switcher",
        examples=(Example("dev_tools.components.variant.plain", '{% include "shared/language_switcher.html" %}'),),
    ),
    Component(
        key="admin/_platform_picker.html", kind=PARTIAL, title="_platform_picker",
        template="admin/_platform_picker.html", description_key="dev_tools.components.platform_picker",
        examples=(
            Example("dev_tools.components.variant.plain",
                    "{% with picker_label=t('dev_tools.sample.platform') %}"
                    '{% include "admin/_platform_picker.html" %}{% endwith %}',
                    context={"platforms": _SAMPLE_PLATFORMS, "edited_platform": _SAMPLE_PLATFORMS[0],
                             "base": "#platform"}),
        ),
    ),
    Component(
        key="storefront/_visitor.html", kind=PARTIAL, title="_visitor",
        template="storefront/_visitor.html", description_key="dev_tools.components.visitor",
        examples=(
            Example("dev_tools.components.variant.signed_in", '{% include "storefront/_visitor.html" %}',
                    context={"cart_summary": {"url": "#cart", "count": 2},
                             "account_link": {"url": "#account", "label": "Anna"}}),
        ),
    ),
    Component(
        key="storefront/_seo.html", kind=PARTIAL, title="_seo",
        template="storefront/_seo.html", description_key="dev_tools.components.seo",
        examples=(
            Example("dev_tools.components.variant.head", '{% include "storefront/_seo.html" %}',
                    context={"seo": _SAMPLE_SEO, "store": {"name": "Bakery Muller"},
                             "page_title": "Bakery Muller"},
                    markup_only=True),
        ),
    ),
    # -- patterns of resources/static/css/orion.css ---------------------------------------
    Component(
        key="pattern:buttons", kind=PATTERN, title="button", template="css/orion.css",
        description_key="dev_tools.components.buttons",
        examples=(
            Example("dev_tools.components.variant.kinds",
                    "<button type=\"submit\">{{ t('dev_tools.sample.save') }}</button>\n"
                    "<a class=\"button secondary\" href=\"#back\">{{ t('dev_tools.sample.cancel') }}</a>\n"
                    "<button class=\"link\" type=\"button\">{{ t('dev_tools.sample.more') }}</button>"),
            Example("dev_tools.components.variant.disabled",
                    "<button type=\"submit\" disabled>{{ t('dev_tools.sample.save') }}</button>"),
        ),
    ),
    Component(
        key="pattern:confirm", kind=PATTERN, title="data-confirm", template="js/orion.js",
        description_key="dev_tools.components.confirm",
        examples=(
            Example("dev_tools.components.variant.plain",
                    "<form method=\"post\" action=\"#delete\" data-confirm=\"{{ t('dev_tools.sample.confirm') }}\">\n"
                    "  <input type=\"hidden\" name=\"csrf_token\" value=\"{{ csrf_token }}\">\n"
                    "  <button class=\"secondary\" type=\"submit\">{{ t('dev_tools.sample.delete') }}</button>\n"
                    "</form>"),
        ),
    ),
    Component(
        key="pattern:flash", kind=PATTERN, title="flash", template="css/orion.css",
        description_key="dev_tools.components.flash",
        examples=(
            Example("dev_tools.components.variant.info",
                    "<div class=\"flash flash-info\" role=\"status\">{{ t('dev_tools.sample.flash_info') }}</div>"),
            Example("dev_tools.components.variant.ok",
                    "<div class=\"flash flash-ok\" role=\"status\">{{ t('dev_tools.sample.flash_ok') }}</div>"),
            Example("dev_tools.components.variant.error",
                    "<div class=\"flash flash-error\" role=\"status\">{{ t('dev_tools.sample.flash_error') }}</div>"),
        ),
    ),
    Component(
        key="pattern:badges", kind=PATTERN, title="badge", template="css/orion.css",
        description_key="dev_tools.components.badges",
        examples=(
            Example("dev_tools.components.variant.kinds",
                    "<span class=\"badge\">{{ t('dev_tools.sample.draft') }}</span>\n"
                    "<span class=\"badge badge-ok\">{{ t('dev_tools.sample.on') }}</span>\n"
                    "<span class=\"badge badge-off\">{{ t('dev_tools.sample.off') }}</span>\n"
                    "<span class=\"badge badge-core\">{{ t('dev_tools.sample.core') }}</span>"),
        ),
    ),
    Component(
        key="pattern:empty", kind=PATTERN, title="empty", template="css/orion.css",
        description_key="dev_tools.components.empty",
        examples=(
            Example("dev_tools.components.variant.with_action",
                    "<div class=\"empty\">\n"
                    "  <strong>{{ t('dev_tools.sample.empty_title') }}</strong>\n"
                    "  <p>{{ t('dev_tools.sample.empty_text') }}</p>\n"
                    "  <a class=\"button\" href=\"#new\">{{ t('dev_tools.sample.empty_action') }}</a>\n"
                    "</div>"),
        ),
    ),
    Component(
        key="pattern:table", kind=PATTERN, title="table", template="css/orion.css",
        description_key="dev_tools.components.table",
        import_line=_import(FORMS, "forms"),
        examples=(
            Example("dev_tools.components.variant.sorted_paginated",
                    "<div class=\"toolbar\">\n"
                    "  <form method=\"get\"><input type=\"search\" name=\"q\" placeholder=\"{{ t('dev_tools.sample.search') }}\"></form>\n"
                    "</div>\n"
                    "<table>\n"
                    "  <thead><tr>\n"
                    "    <th scope=\"col\" aria-sort=\"ascending\"><a href=\"?sort=name\">{{ t('dev_tools.sample.name') }} ↑</a></th>\n"
                    "    <th scope=\"col\"><a href=\"?sort=-stock\">{{ t('dev_tools.sample.stock') }}</a></th>\n"
                    "    <th scope=\"col\">{{ t('dev_tools.sample.state') }}</th>\n"
                    "  </tr></thead>\n"
                    "  <tbody>\n"
                    "    {% for name, stock, on in [('Croissant', 24, true), ('Rye bread', 2, true), ('Stollen', 0, false)] %}\n"
                    "    <tr><td>{{ name }}</td><td>{{ stock }}</td>\n"
                    "      <td><span class=\"badge {{ 'badge-ok' if on else 'badge-off' }}\">"
                    "{{ t('dev_tools.sample.on') if on else t('dev_tools.sample.off') }}</span></td></tr>\n"
                    "    {% endfor %}\n"
                    "  </tbody>\n"
                    "</table>\n"
                    "{{ forms.pagination(2, 5, '?sort=name&') }}"),
        ),
    ),
    Component(
        key="pattern:tabs", kind=PATTERN, title="tabs", template="css/orion.css",
        description_key="dev_tools.components.tabs",
        examples=(
            Example("dev_tools.components.variant.sections",
                    "<nav class=\"tabs\" aria-label=\"{{ t('dev_tools.sample.sections') }}\">\n"
                    "  <a href=\"#overview\" aria-current=\"page\">{{ t('dev_tools.sample.overview') }}</a>\n"
                    "  <a href=\"#members\">{{ t('dev_tools.sample.members') }}</a>\n"
                    "</nav>"),
        ),
    ),
    Component(
        key="pattern:cards", kind=PATTERN, title="card", template="css/orion.css",
        description_key="dev_tools.components.cards",
        examples=(
            Example("dev_tools.components.variant.stats",
                    "<div class=\"cards\">\n"
                    "  <div class=\"card\"><div class=\"muted\">{{ t('dev_tools.sample.revenue') }}</div>"
                    "<div class=\"stat\">{{ 123450|money }}</div></div>\n"
                    "  <div class=\"card\"><div class=\"muted\">{{ t('dev_tools.sample.orders_today') }}</div>"
                    "<div class=\"stat\">{{ 1234|number }}</div></div>\n"
                    "</div>"),
        ),
    ),
)


def catalogue() -> tuple[Component, ...]:
    return CATALOGUE


def template_folders() -> list[Path]:
    """Where templates are looked for: the shared ones first, then each module's."""
    folders = [RESOURCES_DIR / "templates"]
    for module in registry.MODULES.values():
        folder = module.resource_dir("templates")
        if folder is not None:
            folders.append(folder)
    return folders


def _templates_in(folder: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(folder.rglob("*.html")):
        yield path.relative_to(folder).as_posix(), path


def shared_components(
    environment: jinja2.Environment, shared: Path | None = None, others: list[Path] | None = None
) -> dict[str, str]:
    """Every macro (``file:name``) and partial (``file``) of the shared templates, with its kind.

    Macros are the ``{% macro %}`` definitions of every shared template; partials are the
    shared templates some template (shared or a module's) pulls in with ``{% include %}``."""
    shared = shared or RESOURCES_DIR / "templates"
    others = template_folders()[1:] if others is None else others
    found: dict[str, str] = {}
    shared_names = set()
    included: set[str] = set()
    for folder in [shared, *others]:
        for name, path in _templates_in(folder):
            tree = environment.parse(path.read_text(encoding="utf-8"))
            if folder == shared:
                shared_names.add(name)
                for macro in tree.find_all(nodes.Macro):
                    found[f"{name}:{macro.name}"] = MACRO
            for include in tree.find_all(nodes.Include):
                if isinstance(include.template, nodes.Const) and isinstance(include.template.value, str):
                    included.add(include.template.value)
    for name in sorted(included & shared_names):
        found[name] = PARTIAL
    return dict(sorted(found.items()))


def missing_entries(environment: jinja2.Environment, **folders: Any) -> list[str]:
    """Shared macros and partials the catalogue has no entry for."""
    known = {component.key for component in CATALOGUE}
    return [key for key in shared_components(environment, **folders) if key not in known]


def example_context(example: Example, t: Callable[..., str]) -> dict[str, Any]:
    """The sample values an example is rendered with."""
    return example.context(t) if callable(example.context) else dict(example.context)


def render_catalogue(environment: jinja2.Environment, context: dict[str, Any]) -> list[RenderedComponent]:
    """Every component with each example rendered in ``context`` (the page's own); an example
    that fails shows its error instead, so one broken macro does not hide the others."""
    rendered = []
    for component in CATALOGUE:
        examples = []
        for example in component.examples:
            source = f"{component.import_line}\n{example.code}" if component.import_line else example.code
            try:
                html = environment.from_string(source).render({**context, **example_context(example, context["t"])})
            except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
                logger.warning("component %s: an example does not render: %s", component.key, exc)
                examples.append(RenderedExample(example, Markup(""), error=f"{type(exc).__name__}: {exc}"))
                continue
            examples.append(RenderedExample(example, Markup(html.strip()), context=example_context(example, context["t"])))
        rendered.append(RenderedComponent(component, examples))
    return rendered
