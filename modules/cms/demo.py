"""Demo content: About, Delivery and Legal notice pages for the demo platform, and one store page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.cms.models import ContentPage
from modules.cms.services import content_page_service

PLATFORM_PAGES: list[dict[str, Any]] = [
    {
        "slug": "about",
        "show_in_header": True,
        "show_in_footer": True,
        "sort_order": 10,
        "translations": {
            "en": {
                "title": "About us",
                "body": "Letzshop Demo brings together independent shops from all over Luxembourg.\n\n"
                "Order from your favourite bakery, bookshop or grocer and collect or have it delivered.",
                "seo_description": "Independent Luxembourg shops, online in one place.",
            },
            "de": {
                "title": "Über uns",
                "body": "Letzshop Demo vereint unabhängige Geschäfte aus ganz Luxemburg.\n\n"
                "Bestellen Sie bei Ihrer Lieblingsbäckerei, Buchhandlung oder Ihrem Lebensmittelhändler "
                "und holen Sie ab oder lassen Sie liefern.",
                "seo_description": "Unabhängige Luxemburger Geschäfte, online an einem Ort.",
            },
            "fr": {
                "title": "À propos",
                "body": "Letzshop Demo réunit des commerces indépendants de tout le Luxembourg.\n\n"
                "Commandez chez votre boulangerie, librairie ou épicerie préférée, "
                "puis venez chercher votre commande ou faites-vous livrer.",
                "seo_description": "Les commerces indépendants du Luxembourg, en ligne au même endroit.",
            },
            "lb": {
                "title": "Iwwer eis",
                "body": "Letzshop Demo bréngt onofhängeg Geschäfter aus dem ganze Land zesummen.\n\n"
                "Bestellt bei Ärer Liiblingsbäckerei, Librairie oder Epicerie a sicht Är Bestellung of "
                "oder loosst se Iech heem liwweren.",
                "seo_description": "Onofhängeg Lëtzebuerger Geschäfter, online op enger Plaz.",
            },
        },
    },
    {
        "slug": "delivery",
        "show_in_header": True,
        "show_in_footer": True,
        "sort_order": 20,
        "translations": {
            "en": {
                "title": "Delivery",
                "body": "Shops deliver within Luxembourg from Monday to Saturday.\n\n"
                "Delivery costs and areas are shown by each shop before you pay.",
                "seo_description": "Delivery days, areas and costs.",
            },
            "de": {
                "title": "Lieferung",
                "body": "Die Geschäfte liefern von Montag bis Samstag innerhalb Luxemburgs.\n\n"
                "Lieferkosten und Liefergebiete zeigt jedes Geschäft vor der Bezahlung an.",
                "seo_description": "Liefertage, Liefergebiete und Kosten.",
            },
            "fr": {
                "title": "Livraison",
                "body": "Les commerces livrent au Luxembourg du lundi au samedi.\n\n"
                "Chaque commerce indique ses frais et zones de livraison avant le paiement.",
                "seo_description": "Jours, zones et frais de livraison.",
            },
            "lb": {
                "title": "Liwwerung",
                "body": "D'Geschäfter liwweren vu méindes bis samschdes bannent Lëtzebuerg.\n\n"
                "All Geschäft weist seng Liwwerkäschten a Liwwergebidder virum Bezuelen.",
                "seo_description": "Liwwerdeeg, Liwwergebidder a Käschten.",
            },
        },
    },
    {
        "slug": "legal-notice",
        "show_in_footer": True,
        "is_legal": True,
        "sort_order": 90,
        "translations": {
            "en": {
                "title": "Legal notice",
                "body": "Letzshop Demo S.à r.l.\n1, rue de la Démo\nL-1234 Luxembourg\n\n"
                "Trade and Companies Register: B000000 (demo data)\nVAT: LU00000000",
                "seo_description": "Publisher and company details.",
            },
            "de": {
                "title": "Impressum",
                "body": "Letzshop Demo S.à r.l.\n1, rue de la Démo\nL-1234 Luxemburg\n\n"
                "Handels- und Firmenregister: B000000 (Demodaten)\nMwSt.: LU00000000",
                "seo_description": "Herausgeber und Firmenangaben.",
            },
            "fr": {
                "title": "Mentions légales",
                "body": "Letzshop Demo S.à r.l.\n1, rue de la Démo\nL-1234 Luxembourg\n\n"
                "Registre de commerce et des sociétés : B000000 (données de démonstration)\n"
                "TVA : LU00000000",
                "seo_description": "Éditeur et informations sur la société.",
            },
            "lb": {
                "title": "Impressum",
                "body": "Letzshop Demo S.à r.l.\n1, rue de la Démo\nL-1234 Lëtzebuerg\n\n"
                "Handels- a Firmeregister: B000000 (Demodaten)\nTVA: LU00000000",
                "seo_description": "Editeur an Informatiounen iwwer d'Firma.",
            },
        },
    },
]

STORE_PAGE: dict[str, Any] = {
    "slug": "about",
    "show_in_header": True,
    "show_in_footer": True,
    "sort_order": 10,
    "translations": {
        "en": {
            "title": "Our bakery",
            "body": "Boulangerie Dupont has baked bread in Kirchberg since 1962.\n\n"
            "Open Tuesday to Sunday from 6:30 to 13:00.",
            "seo_description": "A family bakery in Kirchberg since 1962.",
        },
        "de": {
            "title": "Unsere Bäckerei",
            "body": "Die Boulangerie Dupont backt seit 1962 Brot in Kirchberg.\n\n"
            "Geöffnet von Dienstag bis Sonntag, 6:30 bis 13:00 Uhr.",
            "seo_description": "Eine Familienbäckerei in Kirchberg seit 1962.",
        },
        "fr": {
            "title": "Notre boulangerie",
            "body": "La Boulangerie Dupont fait son pain au Kirchberg depuis 1962.\n\n"
            "Ouvert du mardi au dimanche, de 6 h 30 à 13 h.",
            "seo_description": "Une boulangerie familiale au Kirchberg depuis 1962.",
        },
        "lb": {
            "title": "Eis Bäckerei",
            "body": "D'Boulangerie Dupont baakt zënter 1962 Brout um Kierchbierg.\n\n"
            "Op vun dënschdes bis sonndes, vun 6:30 bis 13:00 Auer.",
            "seo_description": "Eng Familljebäckerei um Kierchbierg zënter 1962.",
        },
    },
}


def _exists(db: Session, platform_id: int, store_id: int | None, slug: str) -> bool:
    query = select(ContentPage.id).where(
        ContentPage.platform_id == platform_id, ContentPage.slug == slug
    )
    query = query.where(
        ContentPage.store_id.is_(None) if store_id is None else ContentPage.store_id == store_id
    )
    return db.scalar(query) is not None


def load_demo(db: Session, platform: Any, stores: list[Any]) -> list[str]:
    """Create the demo pages that do not exist yet (running it again adds nothing)."""
    lines: list[str] = []
    for spec in PLATFORM_PAGES:
        if _exists(db, platform.id, None, spec["slug"]):
            continue
        content_page_service.create_page(
            db,
            platform_id=platform.id,
            store_id=None,
            default_language="en",
            status="published",
            **spec,
        )
        lines.append(f"Created the demo page {spec['slug']!r} on {platform.code}.")
    if stores:
        store = stores[0]
        if not _exists(db, platform.id, store.id, STORE_PAGE["slug"]):
            content_page_service.create_page(
                db,
                platform_id=platform.id,
                store_id=store.id,
                default_language="en",
                status="published",
                **STORE_PAGE,
            )
            lines.append(f"Created the demo page {STORE_PAGE['slug']!r} of store {store.code!r}.")
    return lines
