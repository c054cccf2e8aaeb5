"""Writes a complete module into a folder outside the repository, as a module author would."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

FILES = {
    "__init__.py": '"""Gift wrapping: a module that lives outside the repository."""\n',
    "definition.py": '''
        """Definition of the gift wrapping module."""

        from modules.contracts.events import OrderPlaced
        from orion_server.modules.base import ModuleDefinition, PermissionDefinition

        giftwrap_module = ModuleDefinition(
            code="giftwrap",
            name="Gift wrapping",
            description="Lets shoppers ask for gift wrapping.",
            version="0.1.0",
            requires=["inventory"],
            features=["gift_wrapping"],
            permissions=[
                PermissionDefinition(id="giftwrap.manage", label_key="giftwrap.permissions.manage", category="giftwrap"),
            ],
            listeners={OrderPlaced: ".dashboard:count_order"},
            widget_provider=".dashboard:GiftwrapWidgets",
        )
    ''',
    "dashboard.py": '''
        """Gift wrapping on the store dashboard, and the orders it has heard of."""

        from modules.contracts.widgets import DashboardWidget
        from orion_server.i18n import t

        from giftwrap.services import styles_for

        heard_orders = []
        """Numbers of the placed orders announced to this module (read by the tests)."""


        def count_order(db, event):
            """Remember a placed order."""
            heard_orders.append(event.number)


        class GiftwrapWidgets:
            """How many wrapping papers the store offers."""

            def get_store_widgets(self, db, store_id, language):
                return [
                    DashboardWidget(
                        key="giftwrap.styles",
                        title=t("giftwrap.title", language),
                        value=str(len(styles_for(db, store_id))),
                    )
                ]

            def get_platform_widgets(self, db, platform_id, language):
                return []
    ''',
    "exceptions.py": '''
        """Errors of the gift wrapping module."""

        from orion_server.errors import OrionError


        class GiftwrapError(OrionError):
            """Base error."""
    ''',
    "config.py": '''
        """Settings of the gift wrapping module (GIFTWRAP_*)."""

        from pydantic_settings import BaseSettings, SettingsConfigDict


        class GiftwrapConfig(BaseSettings):
            """Env vars with the GIFTWRAP_ prefix."""

            model_config = SettingsConfigDict(env_prefix="GIFTWRAP_")
            price_cents: int = 250


        config_class = GiftwrapConfig
        config = GiftwrapConfig()
    ''',
    "models/__init__.py": '''
        """Gift wrapping models."""

        from sqlalchemy import ForeignKey, Integer, String
        from sqlalchemy.orm import Mapped, mapped_column

        from orion_server.database import Base


        class WrapStyle(Base):
            """A wrapping paper a store offers."""

            __tablename__ = "giftwrap_styles"

            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
            name: Mapped[str] = mapped_column(String(100))
    ''',
    "services/__init__.py": '''
        """Gift wrapping services."""

        from sqlalchemy import select

        from giftwrap.models import WrapStyle


        def styles_for(db, store_id):
            """Names of the wrapping papers of a store."""
            return list(db.scalars(select(WrapStyle.name).where(WrapStyle.store_id == store_id)))


        def add_style(db, *, store_id, name):
            """Offer a new wrapping paper."""
            db.add(WrapStyle(store_id=store_id, name=name))
            db.commit()
    ''',
    "schemas/__init__.py": '"""Gift wrapping schemas."""\n',
    "routes/__init__.py": "",
    "routes/api/__init__.py": "",
    "routes/pages/__init__.py": "",
    "routes/api/storefront.py": '''
        """Storefront API of gift wrapping."""

        from giftwrap.config import config
        from giftwrap.services import styles_for
        from orion_server.deps import CurrentStore, SessionDep
        from orion_server.routing import ModuleRouter

        router = ModuleRouter()


        @router.get("/styles")
        def list_styles(db: SessionDep, store: CurrentStore):
            """The store's wrapping papers and the price."""
            return {"styles": styles_for(db, store.id), "price_cents": config.price_cents}
    ''',
    "routes/pages/storefront.py": '''
        """Storefront page of gift wrapping."""

        from fastapi import Request

        from giftwrap.services import styles_for
        from orion_server.deps import CurrentStore, SessionDep
        from orion_server.modules.context import get_storefront_context
        from orion_server.routing import ModuleRouter
        from orion_server.templating import render

        router = ModuleRouter()


        @router.get("/gift-wrapping")
        def gift_wrapping(request: Request, db: SessionDep, store: CurrentStore):
            """What wrapping the store offers."""
            context = get_storefront_context(request, db, styles=styles_for(db, store.id))
            return render(request, "giftwrap/storefront/index.html", context)
    ''',
    "templates/giftwrap/storefront/index.html": """
        {% extends "storefront/base.html" %}
        {% block head %}<link rel="stylesheet" href="{{ url_for('giftwrap_static', path='shared/giftwrap.css') }}">{% endblock %}
        {% block content %}
        <h1>{{ t('giftwrap.title') }}</h1>
        <ul>{% for s in styles %}<li>{{ s }}</li>{% endfor %}</ul>
        {% endblock %}
    """,
    "static/shared/giftwrap.css": ".giftwrap { color: red; }\n",
    "tasks/__init__.py": '''
        """Gift wrapping tasks."""

        from orion_server.task_queue import huey


        @huey.task()
        def count_styles(names):
            """Count wrapping papers (a stand-in for real background work)."""
            return len(names)
    ''',
    "migrations/__init__.py": "",
    "migrations/versions/__init__.py": "",
    "migrations/versions/giftwrap_001_create_styles.py": '''
        """Create giftwrap_styles.

        Revision ID: giftwrap_001
        """

        import sqlalchemy as sa
        from alembic import op

        revision = "giftwrap_001"
        down_revision = None
        branch_labels = ("giftwrap",)
        depends_on = "orion_001"


        def upgrade():
            op.create_table(
                "giftwrap_styles",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("store_id", sa.Integer(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False),
                sa.Column("name", sa.String(100), nullable=False),
            )


        def downgrade():
            op.drop_table("giftwrap_styles")
    ''',
}

LOCALES = {
    "en": {"giftwrap.title": "Gift wrapping", "giftwrap.permissions.manage": "Manage gift wrapping"},
    "de": {"giftwrap.title": "Geschenkverpackung", "giftwrap.permissions.manage": "Geschenkverpackung verwalten"},
    "fr": {"giftwrap.title": "Emballage cadeau", "giftwrap.permissions.manage": "Gérer l’emballage cadeau"},
    "lb": {"giftwrap.title": "Kaddosverpakung", "giftwrap.permissions.manage": "Kaddosverpakung geréieren"},
}


def write_external_module(base: Path) -> Path:
    """Create ``base/giftwrap`` and return ``base`` (the folder to list in ORION_MODULE_PATHS)."""
    root = base / "giftwrap"
    for relative, content in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"))
    for lang, messages in LOCALES.items():
        path = root / "locales" / f"{lang}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(messages, ensure_ascii=False, indent=2))
    return base
