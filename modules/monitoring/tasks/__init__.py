"""The Monitoring module's part in the task consumer: every run of a task is kept for the
background tasks page (``history``)."""

from modules.monitoring.tasks import history  # noqa: F401  (connects huey's hooks)
