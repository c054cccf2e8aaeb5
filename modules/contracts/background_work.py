"""Long work a module runs in the background, with its progress: a catalogue import's rows done
of its total, say. The console shows it on its Server page, installation-wide.

A module that runs such work provides ``BackgroundWork`` (``provides=`` in its definition)::

    from modules.contracts.background_work import work_in_progress

    for work in work_in_progress(db, language="de"):
        print(work.store, work.title, f"{work.done} / {work.total}", work.state)

The list covers every platform (the operator's view); a module none has enabled has nothing
running.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import implementations_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkInProgress:
    """One piece of background work not finished yet."""

    key: str
    """Stable across reads (``marketplace.import.12``): the console keeps its row."""
    title: str
    """What it is, in the language asked for (``Catalogue import: products.tsv``)."""
    store: str
    """The store's code."""
    done: int
    total: int
    """Units of work (rows); 0 while the total is not known yet."""
    state: str
    """Its state, in the language asked for (``Waiting``, ``Running``)."""

    @property
    def percent(self) -> int:
        return min(100, round(self.done * 100 / self.total)) if self.total else 0


@runtime_checkable
class BackgroundWork(Protocol):
    """A module's background work in progress."""

    def work_in_progress(self, db: Any, *, language: str) -> list[WorkInProgress]:
        ...


def work_in_progress(db: Any, *, language: str) -> list[WorkInProgress]:
    """Every module's unfinished background work; a module that fails to answer is logged and
    left out (the others still show)."""
    found: list[WorkInProgress] = []
    for source in implementations_of(BackgroundWork):
        try:
            found += source.work_in_progress(db, language=language)
        except Exception:
            logger.exception("%s could not say what it is working on", type(source).__name__)
            db.rollback()
    return found
