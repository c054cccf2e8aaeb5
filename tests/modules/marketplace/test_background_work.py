"""The marketplace's imports as background work (the BackgroundWork contract the console reads):
waiting and running imports with their rows, in the language asked for; finished ones not."""

from __future__ import annotations

from modules.contracts.background_work import BackgroundWork, WorkInProgress, work_in_progress
from modules.marketplace.models import CatalogueImport
from orion_server.providers import override


def _job(db, store, status: str, done: int, total: int, name: str = "feed.tsv") -> CatalogueImport:
    job = CatalogueImport(store_id=store.id, file_name=name, language="fr", status=status, total_rows=total,
                          done_rows=done, errors=[])
    db.add(job)
    db.commit()
    return job


def test_waiting_and_running_imports_are_listed_with_their_rows(db_session, shop):
    _platform, store = shop
    queued = _job(db_session, store, "queued", 0, 0, "neu.tsv")
    running = _job(db_session, store, "running", 300, 1200)
    _job(db_session, store, "done", 50, 50)
    _job(db_session, store, "cancelled", 10, 50)

    found = work_in_progress(db_session, language="de")

    assert found == [
        WorkInProgress(key=f"marketplace.import.{queued.id}", title="Katalogimport: neu.tsv", store=store.code,
                       done=0, total=0, state="Wartet"),
        WorkInProgress(key=f"marketplace.import.{running.id}", title="Katalogimport: feed.tsv", store=store.code,
                       done=300, total=1200, state="Läuft"),
    ]
    assert [w.percent for w in found] == [0, 25]


def test_a_source_that_fails_is_left_out_and_the_others_still_answer(db_session, shop):
    class Broken:
        def work_in_progress(self, db, *, language):
            raise RuntimeError("no table")

    class One:
        def work_in_progress(self, db, *, language):
            return [WorkInProgress(key="x.1", title="Export", store="bakery", done=1, total=2, state="Running")]

    assert isinstance(One(), BackgroundWork)
    with override(BackgroundWork, Broken(), One()):
        assert [w.key for w in work_in_progress(db_session, language="en")] == ["x.1"]
