"""Messaging: models."""

from modules.messaging.models.email import EmailOutbox, EmailTemplate, SmtpSettings
from modules.messaging.models.notification import Notification

__all__ = ["EmailOutbox", "EmailTemplate", "Notification", "SmtpSettings"]
