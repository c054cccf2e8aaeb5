"""Core services: signing in and out of the dashboards."""

from modules.core.services.sign_in_service import SignIn, SignInService, sign_in_service

__all__ = ["SignIn", "SignInService", "sign_in_service"]
