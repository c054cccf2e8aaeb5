"""Messaging on the dashboards: customer messages waiting for an answer, and, for the platform,
e-mails that could not be sent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from modules.contracts.metrics import GaugeValue, MetricPeriod, MetricValue
from modules.contracts.widgets import DashboardWidget
from modules.messaging.models import EmailOutbox
from modules.messaging.services import conversation_service, notification_service
from orion_server.i18n import format_number, t
from orion_server.models import Store


def _failed_emails(db: Any, platform_id: int) -> int:
    return db.scalar(
        select(func.count(EmailOutbox.id)).where(
            EmailOutbox.platform_id == platform_id, EmailOutbox.status == "failed"
        )
    ) or 0


class MessagingWidgets:
    """Unread customer messages (and unread notifications as the hint)."""

    def get_store_widgets(self, db: Any, store_id: int, language: str) -> list[DashboardWidget]:
        """Unread messages of the store's customers."""
        code = db.scalar(select(Store.code).where(Store.id == store_id)) or ""
        unread = conversation_service.unread_for_store(db, store_id=store_id)
        notices = notification_service.unread_count(db, store_id=store_id)
        return [
            DashboardWidget(
                key="messaging.unread",
                title=t("messaging.widgets.unread", language),
                value=format_number(unread, language),
                hint=t("messaging.widgets.notifications", language, count=notices)
                if notices
                else t("messaging.widgets.all_read", language),
                link=f"/store/{code}/messages",
                permission="messaging.view",
            )
        ]

    def get_platform_widgets(self, db: Any, platform_id: int, language: str) -> list[DashboardWidget]:
        """Unread customer messages of every store, and e-mails that failed."""
        failed = _failed_emails(db, platform_id)
        return [
            DashboardWidget(
                key="messaging.unread",
                title=t("messaging.widgets.unread", language),
                value=format_number(conversation_service.unread_for_platform(db, platform_id=platform_id), language),
                hint=t("messaging.widgets.failed_emails", language, count=failed)
                if failed
                else t("messaging.widgets.no_failed_emails", language),
                link="/admin/messaging/smtp" if failed else None,
            )
        ]


class MessagingMetrics:
    """Unread customer messages now; e-mails sent and failed in the period."""

    def _emails(self, db: Any, period: MetricPeriod, where: Any) -> dict[str, int]:
        conditions = [where, EmailOutbox.created_at < period.end]
        if period.start is not None:
            conditions.append(EmailOutbox.created_at >= period.start)
        rows = db.execute(
            select(EmailOutbox.status, func.count(EmailOutbox.id)).where(*conditions).group_by(EmailOutbox.status)
        )
        return {status: count for status, count in rows}

    def get_store_metrics(self, db: Any, store_id: int, period: MetricPeriod) -> list[MetricValue]:
        """One store's messaging figures."""
        emails = self._emails(db, period, EmailOutbox.store_id == store_id)
        return [
            MetricValue("messaging.unread", "messaging.metrics.unread", conversation_service.unread_for_store(db, store_id=store_id)),
            MetricValue("messaging.emails_sent", "messaging.metrics.emails_sent", emails.get("sent", 0)),
            MetricValue("messaging.emails_failed", "messaging.metrics.emails_failed", emails.get("failed", 0)),
        ]

    def get_platform_metrics(self, db: Any, platform_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The platform's messaging figures."""
        emails = self._emails(db, period, EmailOutbox.platform_id == platform_id)
        return [
            MetricValue("messaging.unread", "messaging.metrics.unread", conversation_service.unread_for_platform(db, platform_id=platform_id)),
            MetricValue("messaging.emails_sent", "messaging.metrics.emails_sent", emails.get("sent", 0)),
            MetricValue("messaging.emails_failed", "messaging.metrics.emails_failed", emails.get("failed", 0)),
        ]

    def get_platform_gauges(self, db: Any, platform_id: int) -> list[GaugeValue]:
        """The platform's e-mail outbox per status now (its backlog: queued and sending), for
        Prometheus."""
        counts = dict(db.execute(
            select(EmailOutbox.status, func.count(EmailOutbox.id))
            .where(EmailOutbox.platform_id == platform_id, EmailOutbox.status != "sent")
            .group_by(EmailOutbox.status)
        ).all())
        return [
            GaugeValue("orion_email_outbox", "E-mails in the outbox per status (sent ones left out)",
                       counts.get(status, 0), (("status", status),))
            for status in ("queued", "sending", "failed")
        ]
