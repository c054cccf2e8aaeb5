"""Tenancy module: platforms, merchants, stores and admin users: the multi-tenant backbone."""
