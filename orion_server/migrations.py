"""Alembic, configured in code: the framework's revisions plus one branch per module."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from orion_server.modules import hooks, registry
from orion_server.paths import MIGRATIONS_DIR

FRAMEWORK_BRANCH = "orion"


def version_locations() -> list[Path]:
    """The framework's versions folder, then each module's, in dependency order."""
    folders = [MIGRATIONS_DIR / "versions"]
    for module in registry.MODULES.values():
        folder = module.resource_dir("migrations/versions")
        if folder:
            folders.append(folder)
    return folders


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config that needs no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in version_locations()))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


@lru_cache
def script_directory() -> ScriptDirectory:
    """The revisions on disk (cached: they do not change while a process runs)."""
    return ScriptDirectory.from_config(alembic_config())


hooks.on_registry_reload(script_directory.cache_clear)


def head_revisions() -> set[str]:
    """The head of every branch."""
    return set(script_directory().get_heads())


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def pending_heads(engine: Engine) -> set[str]:
    """Heads not yet applied (empty when the database is up to date)."""
    current = current_revisions(engine)
    script = script_directory()
    applied: set[str] = set()
    for revision in current:
        applied.update(r.revision for r in script.iterate_revisions(revision, "base"))
    return head_revisions() - applied


def branch_states(engine: Engine) -> list[dict[str, str | None]]:
    """Per branch label: its current revision in the database and its head on disk."""
    script = script_directory()
    current = current_revisions(engine)
    applied: set[str] = set()
    for revision in current:
        applied.update(r.revision for r in script.iterate_revisions(revision, "base"))
    states = []
    for head in sorted(script.get_heads()):
        own_chain = []  # follow down_revision only: depends_on points into other branches
        revision = script.get_revision(head)
        while revision is not None:
            own_chain.append(revision)
            down = revision.down_revision
            revision = script.get_revision(down) if isinstance(down, str) else None
        label = next((sorted(r.branch_labels)[0] for r in own_chain if r.branch_labels), head)
        own = [r.revision for r in own_chain if r.revision in applied]
        states.append({"branch": label, "current": own[0] if own else None, "head": head})
    return states


def upgrade(engine: Engine, target: str = "heads") -> None:
    """Apply migrations up to ``target`` (every branch's head by default)."""
    command.upgrade(alembic_config(engine), target)


def downgrade(engine: Engine, target: str) -> None:
    """Revert migrations down to ``target`` (``base`` reverts everything)."""
    command.downgrade(alembic_config(engine), target)
