"""Definition of the Monitoring module."""

from orion_server.modules.base import ModuleDefinition

monitoring_module = ModuleDefinition(
    code="monitoring",
    name="Monitoring",
    description="Logs, background tasks and health of the installation.",
    version="1.0.0",
    is_core=False,
    is_internal=True,
    requires=[],
    features=["logs", "task_queue", "health"],
)
