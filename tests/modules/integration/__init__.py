"""Tests of the wiring between modules (orders, inventory, messaging, payments, customers)."""
