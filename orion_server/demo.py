"""Demo data: a demo platform with two stores and its optional modules on.

Modules add their own demo content through a ``demo.py`` exporting
``load_demo(db, platform, stores) -> list[str]`` (lines to print); it is called for every
module enabled on the demo platform, in dependency order.
"""

from __future__ import annotations

import importlib
import importlib.util

from sqlalchemy.orm import Session

from orion_server.config import get_settings
from orion_server.errors import NotFoundError
from orion_server.modules import registry
from orion_server.modules.service import module_service

DEMO_PLATFORM = "demo"
DEMO_STORES = [
    ("boulangerie-dupont", "Boulangerie Dupont – Kirchberg", "fr", ["fr", "de", "en", "lb"]),
    ("librairie-ernster", "Librairie Ernster", "de", ["de", "fr", "en", "lb"]),
]
DEMO_OWNER_PASSWORD = "orion-owner-demo"
"""The demo stores' owners sign in with this, in development data only (``ORION_ENV=development``,
what ``make run`` sets up): a real installation gets no account with a published password."""


def load_demo(db: Session) -> list[str]:
    """Create (or complete) the demo data; running it again adds nothing twice."""
    from orion_server.tenancy import tenancy_service

    lines: list[str] = []
    try:
        platform = tenancy_service.get_platform(db, DEMO_PLATFORM)
        lines.append("The demo platform exists already.")
    except NotFoundError:
        platform = tenancy_service.create_platform(db, code=DEMO_PLATFORM, name="Letzshop Demo", default_language="fr")
        lines.append("Created the demo platform 'demo'.")
    stores = []
    for code, name, language, languages in DEMO_STORES:
        try:
            store = tenancy_service.get_store(db, code)
        except NotFoundError:
            store = tenancy_service.create_store(
                db, platform_code=DEMO_PLATFORM, code=code, name=name, default_language=language, languages=languages
            )
            lines.append(f"Created the demo store {code!r}.")
        stores.append(store)
    if get_settings().is_development:
        lines.extend(_demo_owners(db, stores))
    for module in registry.OPTIONAL_MODULES.values():
        change = module_service.enable_module(db, platform.id, module.code)
        if change.changed:
            lines.append(f"Enabled on demo: {', '.join(change.changed)}")
    enabled = module_service.get_enabled_module_codes(db, platform.id)
    for module in registry.MODULES.values():
        if module.code not in enabled:
            continue
        dotted = f"{module.package}.demo"
        try:
            spec = importlib.util.find_spec(dotted)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        loader = getattr(importlib.import_module(dotted), "load_demo", None)
        if loader is not None:
            lines.extend(loader(db, platform, stores) or [])
    return lines


def _demo_owners(db: Session, stores: list) -> list[str]:
    """An owner for each demo store (development data only), so its dashboard and team page
    can be tried as the shop would use them."""
    from sqlalchemy import select

    from orion_server.accounts import add_store_member, create_user
    from orion_server.models import User

    lines = []
    for store in stores:
        email = f"owner@{store.code}.lu"
        if db.scalar(select(User.id).where(User.email == email)):
            continue
        user = create_user(db, email=email, password=DEMO_OWNER_PASSWORD, full_name=f"Owner of {store.name}")
        add_store_member(db, store_code=store.code, user_id=user.id, role="owner")
        lines.append(f"Created the demo owner {email} (password {DEMO_OWNER_PASSWORD}, development data only).")
    return lines
