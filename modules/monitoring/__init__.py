"""Monitoring module: logs, background tasks and health of the installation."""
