"""Request bodies of the PassKit web service (Apple's field names)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PushRegistration(BaseModel):
    """A device registering for a pass's updates: its APNs push token."""

    pushToken: str = Field(default="", max_length=200)  # noqa: N815 - Apple's name


class DeviceLog(BaseModel):
    """Error messages Apple Wallet reports about passes."""

    logs: list[str] = Field(default_factory=list, max_length=100)
