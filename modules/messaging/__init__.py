"""Messaging module: messages, notifications and email templates."""
