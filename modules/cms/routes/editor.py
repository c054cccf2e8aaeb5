"""What the store and admin page editors share: reading the form, filling it, flash messages."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from modules.cms.models import ContentPage
from modules.cms.services.content_page_service import LOCAL_ZONE, STATUSES
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.flash import flash_for as _flash_for
from orion_server.forms import form_text
from orion_server.i18n import t

TRUE_VALUES = {"1", "on", "true", "yes"}
FLASHES = {"created", "saved", "deleted", "published", "unpublished"}


def ordered_languages(preferred: list[str] | tuple[str, ...], default: str) -> list[str]:
    """The languages to edit, the default first, only supported ones."""
    languages = [lang for lang in preferred if lang in SUPPORTED_LANGUAGES] or list(
        SUPPORTED_LANGUAGES
    )
    if default in languages:
        languages.remove(default)
        languages.insert(0, default)
    return languages


def form_to_input(form: FormData, languages: list[str], *, can_publish: bool) -> dict[str, Any]:
    """Keyword arguments for ``create_page``/``update_page`` from a posted editor form."""
    data: dict[str, Any] = {
        "slug": form_text(form, "slug"),
        "sort_order": form_text(form, "sort_order") or "0",
        "show_in_header": form_text(form, "show_in_header").lower() in TRUE_VALUES,
        "show_in_footer": form_text(form, "show_in_footer").lower() in TRUE_VALUES,
        "is_legal": form_text(form, "is_legal").lower() in TRUE_VALUES,
        "translations": {
            lang: {
                field: form_text(form, f"{field}_{lang}")
                for field in ("title", "body", "seo_description")
            }
            for lang in languages
        },
    }
    if can_publish:
        data["status"] = form_text(form, "status") or "draft"
        data["publish_at"] = form_text(form, "publish_at") if data["status"] == "scheduled" else None
    return data


def input_to_values(data: dict[str, Any]) -> dict[str, Any]:
    """Form values to show again after a failed post (what the user typed)."""
    return {
        "slug": data["slug"],
        "sort_order": data["sort_order"],
        "show_in_header": data["show_in_header"],
        "show_in_footer": data["show_in_footer"],
        "is_legal": data["is_legal"],
        "status": data.get("status") or "draft",
        "publish_at": data.get("publish_at") or "",
        "tr": data["translations"],
    }


def page_to_values(page: ContentPage) -> dict[str, Any]:
    """Form values of an existing page."""
    publish_at = ""
    if page.status == "scheduled" and page.published_at is not None:
        publish_at = page.published_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M")
    return {
        "slug": page.slug,
        "sort_order": page.sort_order,
        "show_in_header": page.show_in_header,
        "show_in_footer": page.show_in_footer,
        "is_legal": page.is_legal,
        "status": page.status,
        "publish_at": publish_at,
        "tr": {
            tr.language: {"title": tr.title, "body": tr.body, "seo_description": tr.seo_description}
            for tr in page.translations
        },
    }


def blank_values(slug: str = "") -> dict[str, Any]:
    """Form values of a new page."""
    return {
        "slug": slug,
        "sort_order": 0,
        "show_in_header": False,
        "show_in_footer": True,
        "is_legal": False,
        "status": "draft",
        "publish_at": "",
        "tr": {},
    }


def status_options(language: str) -> list[tuple[str, str]]:
    """``(value, label)`` pairs of the publication select."""
    return [(status, t(f"cms.status.{status}", language)) for status in STATUSES]


def flash_for(done: str, language: str) -> dict[str, str] | None:
    """The confirmation shown after a redirect (``?done=saved``), if any."""
    return _flash_for(done, prefix="cms.flash.", allowed=FLASHES, language=language)
