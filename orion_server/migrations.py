"""Alembic, configured in code: the framework's revisions plus one branch per module.

Whether the database is at every head is asked at each start of the server and by
``/health/ready``. Answering it with Alembic means importing Alembic and executing every
revision file, some 0.15 s of the start; so the heads are kept in the data directory
(``migration-heads.json``) with a fingerprint of the revision files they were read from, and
Alembic reads the files again only when that fingerprint changes (an upgrade of Orion, a module
added) or when the database is not at the heads.
"""

from __future__ import annotations

import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from orion_server.modules import hooks, registry
from orion_server.paths import MIGRATIONS_DIR

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

logger = logging.getLogger(__name__)
VERSION_TABLE = "alembic_version"
HEADS_FILE = "migration-heads.json"

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
    from alembic.config import Config

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
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def revision_files_fingerprint() -> list[list[str | int]]:
    """Each revision file's path, size and modification time: what the heads were read from."""
    files = []
    for folder in version_locations():
        for entry in os.scandir(folder):
            if entry.name.endswith(".py") and entry.is_file():
                stat = entry.stat()
                files.append([entry.path, stat.st_size, stat.st_mtime_ns])
    return sorted(files)


@lru_cache
def _heads() -> frozenset[str]:
    from orion_server.config import get_settings

    fingerprint = revision_files_fingerprint()
    kept = get_settings().data_dir / HEADS_FILE
    try:
        stored = json.loads(kept.read_text())
        if stored["files"] == fingerprint:
            return frozenset(stored["heads"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none kept yet, or from other revision files: read them
    heads = frozenset(script_directory().get_heads())
    written = kept.with_name(f"{HEADS_FILE}.{os.getpid()}")
    try:  # whole or not at all: the server and the task consumer start side by side
        written.write_text(json.dumps({"heads": sorted(heads), "files": fingerprint}))
        os.replace(written, kept)
    except OSError as exc:
        logger.info("could not keep the migration heads in %s: %s", kept, exc)
    return heads


def _forget_revisions() -> None:
    script_directory.cache_clear()
    _heads.cache_clear()


hooks.on_registry_reload(_forget_revisions)


def head_revisions() -> set[str]:
    """The head of every branch."""
    return set(_heads())


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at (none before the first upgrade)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return set()
        return {row[0] for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}


def pending_heads(engine: Engine) -> set[str]:
    """Heads not yet applied (empty when the database is up to date)."""
    current = current_revisions(engine)
    heads = head_revisions()
    if current == heads:
        return set()  # at every head: nothing to walk
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
    from alembic import command

    command.upgrade(alembic_config(engine), target)


def downgrade(engine: Engine, target: str) -> None:
    """Revert migrations down to ``target`` (``base`` reverts everything)."""
    from alembic import command

    command.downgrade(alembic_config(engine), target)
