"""Customers: services."""

from modules.customers.services.customer_service import (
    CUSTOMER_COOKIE,
    KEEP,
    CustomerService,
    Page,
    country_options,
    customer_service,
)
from modules.customers.services.segment_service import SegmentService, segment_service

__all__ = [
    "CUSTOMER_COOKIE",
    "KEEP",
    "CustomerService",
    "Page",
    "SegmentService",
    "country_options",
    "customer_service",
    "segment_service",
]
