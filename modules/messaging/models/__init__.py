"""Messaging: models."""

from modules.messaging.models.conversation import Conversation, ConversationMessage
from modules.messaging.models.email import EmailOutbox, EmailTemplate, SmtpSettings
from modules.messaging.models.notification import Notification

__all__ = [
    "Conversation",
    "ConversationMessage",
    "EmailOutbox",
    "EmailTemplate",
    "Notification",
    "SmtpSettings",
]
