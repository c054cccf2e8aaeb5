"""Messaging: services."""

from modules.messaging.services.conversation_service import (
    ConversationPage,
    ConversationService,
    conversation_service,
)
from modules.messaging.services.email_service import EmailService, SendReport, email_service
from modules.messaging.services.notification_service import (
    NotificationPage,
    NotificationService,
    notification_service,
)
from modules.messaging.services.rendering import RenderedEmail, TemplateSource
from modules.messaging.services.smtp_service import SmtpService, smtp_service

__all__ = [
    "ConversationPage",
    "ConversationService",
    "EmailService",
    "NotificationPage",
    "NotificationService",
    "RenderedEmail",
    "SendReport",
    "SmtpService",
    "TemplateSource",
    "conversation_service",
    "email_service",
    "notification_service",
    "smtp_service",
]
