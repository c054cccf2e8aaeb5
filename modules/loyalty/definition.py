"""Definition of the Loyalty module."""

from orion_server.modules.base import ModuleDefinition

loyalty_module = ModuleDefinition(
    code="loyalty",
    name="Loyalty",
    description="Stamp and points loyalty programs with wallet integration.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["customers"],
    features=["stamps", "points", "wallet_passes"],
)
