"""What the marketplace offers other parts of Orion through contracts: its catalogue imports
in progress (``BackgroundWork``), which the console shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from modules.contracts.background_work import WorkInProgress
from modules.marketplace.models import CatalogueImport
from modules.marketplace.services.imports import ACTIVE
from orion_server.i18n import t
from orion_server.models import Store


class CatalogueImports:
    """Imports waiting or running, oldest first."""

    def work_in_progress(self, db: Any, *, language: str) -> list[WorkInProgress]:
        rows = db.execute(
            select(CatalogueImport, Store.code).join(Store, Store.id == CatalogueImport.store_id)
            .where(CatalogueImport.status.in_(ACTIVE)).order_by(CatalogueImport.id)
        ).all()
        return [
            WorkInProgress(
                key=f"marketplace.import.{job.id}",
                title=t("marketplace.work.import", language, file=job.file_name),
                store=code,
                done=job.done_rows,
                total=job.total_rows,
                state=t(f"marketplace.import.status_{job.status}", language),
            )
            for job, code in rows
        ]
