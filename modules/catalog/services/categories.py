"""The store's categories: a tree with translated names, moved and deleted with care."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from modules.catalog.exceptions import CatalogInputError, Problem
from modules.catalog.models import Category, CategoryTranslation, Product
from modules.catalog.services.announce import catalog_changed
from modules.catalog.services.rules import MAX_ID, MAX_POSITION, MAX_TITLE, SLUG_PATTERN
from modules.catalog.services.slug_history import remember_slug
from modules.catalog.services.views import CategoryLink, CategoryRow
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write
from orion_server.errors import NotFoundError
from orion_server.revision import bump_revision, config_cache


class Categories:
    """The store's categories: a tree with translated names, moved and deleted with care."""

    def list_categories(self, db: Session, *, store_id: int) -> list[Category]:
        """The store's categories, by position then slug."""
        return list(
            db.scalars(
                select(Category)
                .where(Category.store_id == store_id)
                .order_by(Category.position, Category.slug)
            )
        )

    def category_tree(self, db: Session, *, store_id: int) -> list[tuple[Category, int]]:
        """The store's categories depth first, each with its depth (0 for a top category)."""
        categories = self.list_categories(db, store_id=store_id)
        children: dict[int | None, list[Category]] = {}
        ids = {c.id for c in categories}
        for category in categories:
            parent = category.parent_id if category.parent_id in ids else None
            children.setdefault(parent, []).append(category)
        result: list[tuple[Category, int]] = []

        def walk(parent: int | None, depth: int) -> None:
            for category in children.get(parent, []):
                result.append((category, depth))
                walk(category.id, depth + 1)

        walk(None, 0)
        return result

    def storefront_tree(
        self, db: Session, *, store_id: int, language: str, default: str
    ) -> list[tuple[CategoryLink, int]]:
        """The category tree as shoppers see it (names in ``language``), depth first with each
        depth. Kept per process until the configuration revision moves (every change to a
        category moves it): every storefront page showed it, read anew each time."""

        def load(session: Session) -> list[tuple[CategoryLink, int]]:
            return [
                (CategoryLink(c.id, c.parent_id, c.slug, c.name_for(language, default)), depth)
                for c, depth in self.category_tree(session, store_id=store_id)
            ]

        return config_cache.get(db, ("catalog.categories", store_id, language, default), load)

    def get_category(self, db: Session, *, store_id: int, category_id: int) -> Category:
        """One of the store's categories; others look like they do not exist."""
        category = db.get(Category, category_id) if 0 < category_id <= MAX_ID else None
        if category is None or category.store_id != store_id:
            raise NotFoundError(f"no category {category_id}")
        return category

    def get_category_by_slug(self, db: Session, *, store_id: int, slug: str) -> Category:
        category = db.scalar(
            select(Category).where(Category.store_id == store_id, Category.slug == slug)
        )
        if category is None:
            raise NotFoundError(f"no category {slug!r}")
        return category

    def branch_ids(self, db: Session, *, store_id: int, category_id: int) -> list[int]:
        """The category and every category below it (what may not become its parent)."""
        return self._descendant_ids(db, store_id=store_id, category_id=category_id)

    def _descendant_ids(self, db: Session, *, store_id: int, category_id: int) -> list[int]:
        rows = db.execute(
            select(Category.id, Category.parent_id).where(Category.store_id == store_id)
        ).all()
        children: dict[int | None, list[int]] = {}
        for cid, parent in rows:
            children.setdefault(parent, []).append(cid)
        found, stack = [], [category_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.append(current)
            stack.extend(children.get(current, []))
        return found

    def category_rows(self, db: Session, *, store_id: int) -> list[CategoryRow]:
        """The tree for the dashboard: depth first, with product counts per category."""
        tree = self.category_tree(db, store_id=store_id)
        direct = dict(
            db.execute(
                select(Product.category_id, func.count(Product.id))
                .where(Product.store_id == store_id, Product.category_id.is_not(None))
                .group_by(Product.category_id)
            ).all()
        )
        siblings: dict[int | None, list[int]] = {}
        for category, _depth in tree:
            siblings.setdefault(category.parent_id, []).append(category.id)
        rows: list[CategoryRow] = []
        for index, (category, depth) in enumerate(tree):
            total = direct.get(category.id, 0)
            children = 0
            for descendant, descendant_depth in tree[index + 1 :]:
                if descendant_depth <= depth:
                    break
                total += direct.get(descendant.id, 0)
                children += descendant_depth == depth + 1
            group = siblings.get(category.parent_id, [])
            rows.append(
                CategoryRow(
                    category=category,
                    depth=depth,
                    products=direct.get(category.id, 0),
                    products_with_children=total,
                    children=children,
                    first=bool(group) and group[0] == category.id,
                    last=bool(group) and group[-1] == category.id,
                )
            )
        return rows

    def save_category(
        self,
        db: Session,
        *,
        store_id: int,
        category_id: int | None = None,
        slug: str,
        names: Mapping[str, str | None],
        default_language: str = "en",
        parent_id: int | str | None = None,
        position: int | str | None = 0,
    ) -> Category:
        """Create (``category_id`` None) or update a category. Every problem is reported at
        once: a name in the default language is required, the slug is unique in the store, the
        parent is one of the store's categories and not the category itself or one of its
        descendants (no cycles), the position a whole number from 0 to ``MAX_POSITION``."""
        problems: list[Problem] = []
        slug = (slug or "").strip().lower()
        if not slug:
            problems.append(Problem("slug", "catalog.errors.category_slug_required"))
        elif not SLUG_PATTERN.match(slug):
            problems.append(Problem("slug", "catalog.errors.slug_invalid"))
        cleaned = {}
        for language, name in names.items():
            if language not in SUPPORTED_LANGUAGES:
                problems.append(Problem(f"names.{language}", "catalog.errors.language_unknown"))
                continue
            name = (name or "").strip()
            if not name:
                continue
            if len(name) > MAX_TITLE:
                problems.append(
                    Problem(f"names.{language}", "catalog.errors.too_long", {"max": MAX_TITLE})
                )
            cleaned[language] = name[:MAX_TITLE]
        if default_language not in cleaned:
            problems.append(Problem(f"names.{default_language}", "catalog.errors.name_required"))
        order = 0
        try:
            order = int(str(position if position is not None else "").strip() or "0")
            if not 0 <= order <= MAX_POSITION:
                raise ValueError
        except ValueError:
            problems.append(
                Problem("position", "catalog.errors.position_invalid", {"max": MAX_POSITION})
            )
        parent: int | None = None
        if parent_id not in (None, ""):
            try:
                parent = int(parent_id)  # type: ignore[arg-type]
                self.get_category(db, store_id=store_id, category_id=parent)
            except (ValueError, TypeError, NotFoundError):
                problems.append(Problem("parent_id", "catalog.errors.parent_invalid"))
                parent = None
        if category_id is not None:
            # 404 before any field message for a category of another store
            self.get_category(db, store_id=store_id, category_id=category_id)
            if parent is not None and parent in self._descendant_ids(
                db, store_id=store_id, category_id=category_id
            ):
                problems.append(Problem("parent_id", "catalog.errors.parent_cycle"))
        if slug and db.scalar(
            select(Category.id).where(
                Category.store_id == store_id,
                Category.slug == slug,
                Category.id != (category_id or 0),
            )
        ):
            problems.append(Problem("slug", "catalog.errors.category_slug_taken", {"slug": slug}))
        if problems:
            raise CatalogInputError(problems)
        begin_write(db)
        if category_id is not None:
            category = self.get_category(db, store_id=store_id, category_id=category_id)
            # checked again under the write lock: another writer may have moved a category
            if parent is not None and parent in self._descendant_ids(
                db, store_id=store_id, category_id=category_id
            ):
                db.rollback()
                raise CatalogInputError([Problem("parent_id", "catalog.errors.parent_cycle")])
        else:
            category = Category(store_id=store_id)
        old_slug = category.slug
        category.slug, category.parent_id, category.position = slug, parent, order
        existing = {tr.language: tr for tr in category.translations}
        for language, tr in existing.items():
            if language not in cleaned:
                category.translations.remove(tr)
        for language, name in cleaned.items():
            if language in existing:
                existing[language].name = name
            else:
                category.translations.append(CategoryTranslation(language=language, name=name))
        if category_id is None:
            db.add(category)
        remember_slug(db, store_id=store_id, kind="category", old=old_slug, new=slug, target_id=category.id)
        bump_revision(db)  # the storefront's category tree is kept until the revision moves
        catalog_changed(db, store_id)
        self._commit(db, [Problem("slug", "catalog.errors.category_slug_taken", {"slug": slug})])
        return category

    def move_category(
        self, db: Session, *, store_id: int, category_id: int, direction: str
    ) -> Category:
        """Swap a category with the sibling before (``up``) or after it (``down``); the
        siblings' positions are renumbered 0, 1, 2, ... in their shown order first."""
        if direction not in ("up", "down"):
            raise CatalogInputError([Problem("direction", "catalog.errors.direction_invalid")])
        begin_write(db)
        category = self.get_category(db, store_id=store_id, category_id=category_id)
        siblings = [
            c
            for c in self.list_categories(db, store_id=store_id)
            if c.parent_id == category.parent_id
        ]
        index = siblings.index(category)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        bump_revision(db)
        db.commit()
        return category

    def delete_category(self, db: Session, *, store_id: int, category_id: int) -> None:
        """Delete a category. Its sub-categories move up one level (to its parent, or to the
        top) and its products stay, without a category; nothing else is deleted."""
        begin_write(db)
        category = self.get_category(db, store_id=store_id, category_id=category_id)
        db.execute(
            Product.__table__.update()
            .where(Product.store_id == store_id, Product.category_id == category.id)
            .values(category_id=None)
        )
        db.execute(
            Category.__table__.update()
            .where(Category.store_id == store_id, Category.parent_id == category.id)
            .values(parent_id=category.parent_id)
        )
        db.delete(category)
        bump_revision(db)
        catalog_changed(db, store_id)
        db.commit()
